import FastCGI
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The files of the log directory: `api.log` for the current local day and
/// `api.YYYYMMDD.log` for each earlier day, kept for `retentionDays` days.
/// Only `RequestLog` calls this, under its lock, so nothing here needs its own.
struct DailyRotation: Sendable {
    let directory: String
    let retentionDays: Int

    var currentPath: String { directory + "/api.log" }

    func archivePath(forDay dayNumber: Int) -> String {
        directory + "/api." + LocalTime.compactDate(ofDayNumber: dayNumber) + ".log"
    }

    /// Creates the directory (mode 0700) when it is missing. False when it cannot.
    func prepareDirectory() -> Bool {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) {
            return isDirectory.boolValue
        }
        do {
            try FileManager.default.createDirectory(
                atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            return true
        } catch {
            return false
        }
    }

    /// The local day `api.log` was last written, from its modification time; nil if there is none.
    func dayOfCurrentFile(in timeZone: TimeZone) -> Int? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: currentPath),
              let modified = attributes[.modificationDate] as? Date else { return nil }
        return LocalTime(modified, in: timeZone).dayNumber
    }

    /// Moves `api.log` to the file of `dayNumber`. If that file already exists
    /// (the clock went back and forth), appends to it instead so no line is lost.
    func archiveCurrentFile(asDay dayNumber: Int) {
        let target = archivePath(forDay: dayNumber)
        if access(target, F_OK) != 0 {
            _ = rename(currentPath, target)
            return
        }
        if appendFile(currentPath, to: target) {
            _ = unlink(currentPath)
        }
    }

    /// Deletes `api.YYYYMMDD.log` files whose day is more than `retentionDays` before `today`.
    func deleteExpiredArchives(today: Int) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return }
        for name in names {
            guard let day = Self.archiveDay(fileName: name), today - day > retentionDays else { continue }
            _ = unlink(directory + "/" + name)
        }
    }

    /// The day of a file named exactly `api.YYYYMMDD.log` with a real date; nil for any other name.
    static func archiveDay(fileName: String) -> Int? {
        let utf8 = Array(fileName.utf8)
        guard utf8.count == 16, fileName.hasPrefix("api."), fileName.hasSuffix(".log") else { return nil }
        let digits = utf8[4..<12]
        guard digits.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else { return nil }
        let number = digits.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
        return LocalTime.dayNumber(year: number / 10_000, month: number / 100 % 100, day: number % 100)
    }

    private func appendFile(_ source: String, to target: String) -> Bool {
        let input = open(source, O_RDONLY | O_CLOEXEC)
        guard input >= 0 else { return false }
        defer { close(input) }
        let output = open(target, O_WRONLY | O_APPEND | O_CLOEXEC)
        guard output >= 0 else { return false }
        defer { close(output) }
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(input, $0.baseAddress, $0.count) }
            if count == 0 { return true }
            if count < 0 {
                if errno == EINTR { continue }
                return false
            }
            let written = buffer.withUnsafeBytes { FileDescriptorIO.writeAll(output, UnsafeRawBufferPointer(rebasing: $0[..<count])) }
            guard written else { return false }
        }
    }
}
