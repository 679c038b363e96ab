import CLinux
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A private folder for one upload, removed unless it was moved into place.
final class StagingFolder {
    let path: String
    private var kept = false

    init(inside root: String) throws {
        path = root + "/upload-" + RequestID.make()
        guard mkdir(path, 0o750) == 0 else {
            throw APIError.internalError(cause: "staging folder: \(String(cString: strerror(errno)))")
        }
    }

    deinit {
        if !kept { try? FileManager.default.removeItem(atPath: path) }
    }

    /// Makes the staged files durable; done before the store's write transaction, which it would hold up.
    func makeDurable() throws {
        try FileSync.syncFileSystem(holding: path)
    }

    /// Moves the (durable) folder to `destination` atomically. A folder already there has no
    /// committed row (the store's transaction owns the name now) but is not ours to delete: it goes
    /// to `quarantine` (start-up clears crash leftovers, so this is a folder someone put there).
    func moveIntoPlace(at destination: String, quarantine: String) throws {
        if FileManager.default.fileExists(atPath: destination) {
            _ = try PackFolder.quarantine(destination, in: quarantine)
        }
        guard rename(path, destination) == 0 else {
            throw APIError.internalError(cause: "rename staged pack: \(String(cString: strerror(errno)))")
        }
        kept = true
        FileSync.syncDirectory((destination as NSString).deletingLastPathComponent)
    }

    /// Undo a move whose database commit then failed.
    func moveBack(from destination: String) {
        if kept, rename(destination, path) == 0 { kept = false }
    }
}

/// fsync helpers: a pack answered 200 is on disk.
enum FileSync {
    /// One syncfs(2) for a whole staged pack: its files' data and the folder's entries.
    static func syncFileSystem(holding path: String) throws {
        let fd = open(path, O_RDONLY | O_DIRECTORY)
        guard fd >= 0 else { throw APIError.internalError(cause: "open staging folder: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        guard syncfs(fd) == 0 else { throw APIError.internalError(cause: "syncfs: \(String(cString: strerror(errno)))") }
    }

    static func syncDirectory(_ path: String) {
        let fd = open(path, O_RDONLY | O_DIRECTORY)
        guard fd >= 0 else { return }
        fsync(fd)
        close(fd)
    }
}
