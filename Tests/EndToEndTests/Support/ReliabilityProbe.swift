#if canImport(Glibc)
import Glibc
#endif
import Foundation
@testable import Psyx

/// What the reliability tests look at from outside psyx: its open files and
/// memory in /proc, the data directory's working folders, the database's own
/// consistency check.
enum ReliabilityProbe {
    /// psyx's open file descriptors, split into sockets (connections, the listener)
    /// and everything else (the database, the log, spooled bodies, staged images).
    struct Descriptors: CustomStringConvertible {
        var sockets = 0
        var files: [String] = []

        var total: Int { sockets + files.count }
        var description: String { "\(total) fds (\(sockets) sockets, \(files.count) other)" }
    }

    static func descriptors(of pid: Int32) throws -> Descriptors {
        let folder = "/proc/\(pid)/fd"
        var result = Descriptors()
        for entry in try FileManager.default.contentsOfDirectory(atPath: folder) {
            guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: folder + "/" + entry) else { continue }
            if target.hasPrefix("socket:") { result.sockets += 1 } else { result.files.append(target) }
        }
        result.files.sort()
        return result
    }

    /// Resident memory now, in bytes.
    static func residentBytes(of pid: Int32) throws -> Int {
        try ProcessTable.memory("VmRSS", of: pid)
    }

    /// Entry names of a folder of the data directory (`staging`, `spool`, `packs`), sorted.
    static func entries(_ stack: TestStack, _ folder: String) -> [String] {
        let path = stack.dataDirectory.appendingPathComponent(folder).path
        return ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted()
    }

    /// `PRAGMA integrity_check` on the stack's database, through a read-only
    /// connection of its own (WAL lets it read beside a running psyx).
    static func integrityCheck(_ stack: TestStack) throws -> String {
        let path = stack.dataDirectory.appendingPathComponent("psyx.sqlite3").path
        let database = try SQLiteDatabase(path: path, mode: .readOnly)
        database.setBusyTimeout(milliseconds: 5000)
        return try database.text("PRAGMA integrity_check") ?? "(no answer)"
    }

    /// Ends psyx with `signal` (SIGKILL: a crash, nothing cleaned up) and waits until
    /// it is gone; one already gone (killed by the test beforehand) is fine.
    static func endPsyx(_ stack: TestStack, signal: Int32 = SIGKILL) throws {
        let pid = stack.psyxPID
        guard kill(pid, signal) == 0 || errno == ESRCH else { throw StackError("kill(\(pid), \(signal)) failed: errno \(errno)") }
        let deadline = Date().addingTimeInterval(15)
        while ProcessTable.isAlive(pid) && Date() < deadline { usleep(5_000) }
        guard !ProcessTable.isAlive(pid) else { throw StackError("psyx (\(pid)) still alive 15 s after signal \(signal)") }
    }

    /// `/api/health`'s connection figures, through Nginx.
    static func connections(_ stack: TestStack) throws -> (accepted: Int, open: Int, rejected: Int) {
        let response = try stack.http.request("GET", "/api/health")
        guard response.status == 200, let object = response.json as? [String: Any],
              let counts = object["connections"] as? [String: Any],
              let accepted = counts["accepted"] as? Int, let open = counts["open"] as? Int,
              let rejected = counts["rejected"] as? Int else {
            throw StackError("health answered \(response.status): \(response.text)")
        }
        return (accepted, open, rejected)
    }

    /// `count` bytes that pass for a JPEG (its signature), the rest random:
    /// real-sized images that do not compress.
    static func bulkyJPEG(_ count: Int) throws -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: max(count, 16))
        let fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw StackError("cannot open /dev/urandom: errno \(errno)") }
        defer { close(fd) }
        var filled = 0
        while filled < bytes.count {
            let n = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress.map { $0 + filled }, $0.count - filled) }
            guard n > 0 else { throw StackError("reading /dev/urandom failed: errno \(errno)") }
            filled += n
        }
        bytes.replaceSubrange(0..<4, with: [0xFF, 0xD8, 0xFF, 0xE0])
        return bytes
    }

    /// A figure for the README: printed in one recognisable line (`grep RELIABILITY`).
    static func report(_ name: String, _ values: KeyValuePairs<String, Any>) {
        let text = values.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        print("RELIABILITY \(name): \(text)")
    }
}
