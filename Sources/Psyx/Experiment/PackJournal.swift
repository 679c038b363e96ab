import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The names of packs whose folder is being moved into `packs/` by a create that has not committed
/// yet. A crash between that rename and the commit leaves a folder without a row; the journal is
/// how start-up tells such a leftover (safe to delete) from a folder it knows nothing about (kept,
/// in quarantine). One empty file per name, in `staging/journal/`.
struct PackJournal: Sendable {
    let path: String

    /// Records `name` durably before its folder is renamed into place.
    func begin(_ name: String) throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        let fd = open(path + "/" + name, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw APIError.internalError(cause: "pack journal: \(String(cString: strerror(errno)))")
        }
        close(fd)
        FileSync.syncDirectory(path)
    }

    /// The create committed or was undone: the entry has no more to say.
    func end(_ name: String) {
        unlink(path + "/" + name)
    }

    /// Every name recorded and not ended.
    func names() -> Set<String> {
        Set((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [])
    }

    func clear() {
        for name in names() { end(name) }
    }
}
