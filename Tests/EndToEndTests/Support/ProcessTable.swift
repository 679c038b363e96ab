#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// What /proc says about processes: who is alive, whose children they are, how
/// much memory they hold. Linux only, like the deployment.
enum ProcessTable {
    /// True while `pid` exists and is not a zombie.
    static func isAlive(_ pid: Int32) -> Bool {
        guard let stat = statFields(pid) else { return false }
        return stat.state != "Z" && stat.state != "X"
    }

    /// The live children of `parent` (Nginx's workers, for its master).
    static func children(of parent: Int32) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { Int32($0) }.filter { pid in
            guard let stat = statFields(pid) else { return false }
            return stat.parent == parent && stat.state != "Z"
        }
    }

    /// A `VmXXX` line of /proc/PID/status in bytes, e.g. "VmHWM" (peak resident
    /// memory since start) or "VmRSS" (resident now).
    static func memory(_ field: String, of pid: Int32) throws -> Int {
        let status = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
        for line in status.split(separator: "\n") where line.hasPrefix(field + ":") {
            let number = line.dropFirst(field.count + 1).trimmingCharacters(in: .whitespaces)
                .prefix { $0.isNumber }
            if let kilobytes = Int(number) { return kilobytes * 1024 }
        }
        throw StackError("no \(field) in /proc/\(pid)/status")
    }

    /// State letter and parent pid from /proc/PID/stat ("pid (comm) S ppid ...";
    /// comm may hold spaces and parentheses, so parse after the last ')').
    private static func statFields(_ pid: Int32) -> (state: Character, parent: Int32)? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count >= 2, let state = fields[0].first, let parent = Int32(fields[1]) else { return nil }
        return (state, parent)
    }
}
