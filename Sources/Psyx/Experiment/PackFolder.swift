import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Moving a pack's folder out of the served tree. Removal parks the folder under a unique name
/// inside the store's transaction (so a create of the same name cannot slip in between), and
/// deletes it once the transaction committed; a failed commit puts it back.
enum PackFolder {
    /// Renames `path` to a unique name in `trash`; nil when there is no folder to move.
    static func park(_ path: String, in trash: String) throws -> String? {
        let parked = trash + "/removed-" + RequestID.make()
        if rename(path, parked) == 0 { return parked }
        if errno == ENOENT { return nil }
        throw APIError.internalError(cause: "moving pack folder away: \(String(cString: strerror(errno)))")
    }

    /// Puts a parked folder back where it was (its removal did not commit).
    static func unpark(_ parked: String, to path: String) {
        _ = rename(parked, path)
    }

    /// Deletes a parked folder for good.
    static func delete(_ parked: String) {
        try? FileManager.default.removeItem(atPath: parked)
    }

    /// Moves a folder that no pack row owns (and no crash can explain) into `quarantine`, named
    /// after it and the time, so an operator can look at it instead of losing it.
    static func quarantine(_ path: String, in quarantine: String) throws -> String {
        try FileManager.default.createDirectory(atPath: quarantine, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        let name = (path as NSString).lastPathComponent
        let stamp = Int(Date().timeIntervalSince1970)
        var target = "\(quarantine)/\(name)-\(stamp)"
        var attempt = 1
        while FileManager.default.fileExists(atPath: target) {
            attempt += 1
            target = "\(quarantine)/\(name)-\(stamp)-\(attempt)"
        }
        guard rename(path, target) == 0 else {
            throw APIError.internalError(cause: "quarantining \(name): \(String(cString: strerror(errno)))")
        }
        return target
    }
}
