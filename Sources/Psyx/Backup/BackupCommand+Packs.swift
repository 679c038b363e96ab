import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Copying one pack's folder. Pack images never change once committed, but a pack can be removed
/// (or removed and created again under the same name) between the snapshot and the copy of its
/// folder. The copy reads through one open handle of the folder, and counts only when afterwards the
/// live database still has the snapshot's p_id for that name (ids are never reused) and that name
/// still points at the very folder that was read. A pack gone from the live database is left out of
/// the backup whole: its row, pairs and replies are deleted from the copy, and the summary says so.
extension BackupCommand {
    struct CopiedFolder {
        var files: [(path: String, digest: HashedFile.Digest)] = []
        var skipped: [String] = []
    }

    private enum Attempt {
        case copied(CopiedFolder)
        /// The folder, or a file in it, was not there.
        case vanished
        /// The name points at another folder now.
        case replaced
    }

    /// The copied folder, or nil when the pack was removed from the live data directory meanwhile.
    func copyFolder(of pack: PackRow, snapshot: SQLiteSnapshot) throws(BackupError) -> CopiedFolder? {
        let target = destination + "/" + BackupLayout.packs + "/" + pack.name
        for _ in 1...3 {
            let attempt = try copyOnce(pack, into: target)
            guard try snapshot.livePackID(named: pack.name) == pack.id else {
                try? FileManager.default.removeItem(atPath: target)
                return nil
            }
            if case .copied(let folder) = attempt { return folder }
            // The pack is still there but its folder was not readable as it stood: a removal that was
            // rolled back moves it away and back. Try again.
            try? FileManager.default.removeItem(atPath: target)
            usleep(100_000)
        }
        throw .refused("packs/\(pack.name) could not be copied: its folder kept changing or is missing while "
            + "the database still has pack \(pack.name) (p_id \(pack.id))")
    }

    private func copyOnce(_ pack: PackRow, into target: String) throws(BackupError) -> Attempt {
        let source = data.packs + "/" + pack.name
        let folder = open(source, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard folder >= 0 else {
            if errno == ENOENT { return .vanished }
            throw .system("open", source)
        }
        defer { close(folder) }
        var identity = stat()
        guard fstat(folder, &identity) == 0 else { throw .system("stat", source) }
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: source) else { return .vanished }
        try makeFolder(target)
        var copied = CopiedFolder()
        for name in names.sorted() {
            let path = BackupLayout.packFile(pack.name, name)
            var status = stat()
            guard fstatat(folder, name, &status, AT_SYMLINK_NOFOLLOW) == 0 else {
                if errno == ENOENT { return .vanished }
                throw .system("stat", source + "/" + name)
            }
            guard (status.st_mode & S_IFMT) == S_IFREG, (try? BackupLayout.checkSafe(path, where: "")) != nil else {
                copied.skipped.append(path)
                continue
            }
            do {
                let input = try HashedFile.openForReading(name, in: folder)
                defer { close(input) }
                let digest = try HashedFile.copy(input, named: source + "/" + name, to: target + "/" + name, mode: 0o600)
                copied.files.append((path, digest))
            } catch where error.isMissingFile {
                return .vanished
            }
        }
        try HashedFile.syncFolder(target)
        guard let now = FileStatus.of(source), now.raw.st_dev == identity.st_dev, now.raw.st_ino == identity.st_ino else {
            return .replaced
        }
        return .copied(copied)
    }
}
