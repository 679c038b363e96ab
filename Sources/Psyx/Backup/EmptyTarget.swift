import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The folder a backup or a restore fills. It must not exist or be empty — so nothing of value is
/// ever overwritten — and `discard()` brings it back to how it was found: removed when this command
/// created it, emptied when it was already there.
struct EmptyTarget {
    let path: String
    private let created: Bool

    /// Checks `path` and creates it (with `mode`) when missing; its parent must exist. `role` names it
    /// in messages (`DEST`, `the data directory`).
    init(_ path: String, mode: mode_t, role: String) throws(BackupError) {
        self.path = path
        if let status = FileStatus.of(path) {
            guard status.isDirectory else { throw .refused("\(role) \(path) exists and is not a folder") }
            let entries: [String]
            do {
                entries = try FileManager.default.contentsOfDirectory(atPath: path)
            } catch {
                throw .refused("\(role) \(path) cannot be read: \(error.localizedDescription)")
            }
            guard entries.isEmpty else {
                throw .refused("\(role) \(path) is not empty (\(entries.count) entries): give a new or empty folder")
            }
            guard access(path, W_OK | X_OK) == 0 else { throw .system("write into", path) }
            created = false
        } else {
            let parent = (path as NSString).deletingLastPathComponent
            guard FileStatus.of(parent)?.isDirectory == true else {
                throw .refused("\(role) \(path): its parent folder \(parent) does not exist")
            }
            try HashedFile.makeFolder(path, mode: mode)
            created = true
            try HashedFile.syncFolder(parent)
        }
    }

    /// Removes everything written into the folder, and the folder itself if this command made it.
    func discard() {
        if created {
            try? FileManager.default.removeItem(atPath: path)
        } else {
            for entry in (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [] {
                try? FileManager.default.removeItem(atPath: path + "/" + entry)
            }
        }
    }
}
