import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The names of packs whose folder is being moved into `packs/` by a create that has not committed
/// yet. A crash between that rename and the commit leaves a folder without a row; the journal is
/// how start-up tells such a leftover (safe to delete) from a folder it knows nothing about (kept,
/// in quarantine). One empty file `creating-<name>` per pack in `staging/`, which start-up's
/// clearing of `staging/` keeps for the reconciliation to read.
struct PackJournal: Sendable {
    static let prefix = "creating-"
    let directory: String

    /// Records `name` durably before its folder is renamed into place.
    func begin(_ name: String) throws {
        let fd = open(directory + "/" + Self.prefix + name, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw APIError.internalError(cause: "pack journal: \(String(cString: strerror(errno)))")
        }
        close(fd)
        FileSync.syncDirectory(directory)
    }

    /// The create committed or was undone: the entry has no more to say.
    func end(_ name: String) {
        unlink(directory + "/" + Self.prefix + name)
    }

    /// Every name recorded and not ended.
    func names() -> Set<String> {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return Set(entries.filter { $0.hasPrefix(Self.prefix) }.map { String($0.dropFirst(Self.prefix.count)) })
    }

    func clear() {
        for name in names() { end(name) }
    }
}
