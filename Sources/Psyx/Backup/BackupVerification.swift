import Foundation

/// A restore's first step, which changes nothing: the backup folder holds exactly the files its
/// manifest lists — no file missing, none unlisted, no symbolic link, no path leaving the folder, only
/// the files a backup holds — each with its SHA-256, and `backup.json` is one this psyx reads.
struct BackupVerification {
    let source: String

    struct Verified {
        var manifest: BackupManifest
        var metadata: BackupMetadata
        var bytes: Int64
    }

    /// The manifest is read whole; no real backup's comes near this.
    static let largestManifest = 64 << 20

    func run() throws(BackupError) -> Verified {
        guard FileStatus.of(source)?.isDirectory == true else { throw .refused("SRC \(source) is not a folder") }
        let manifestPath = source + "/" + BackupManifest.fileName
        guard let status = FileStatus.of(manifestPath), status.isRegularFile else {
            throw .refused("\(manifestPath) is missing: SRC must be a folder written by psyx backup")
        }
        guard status.size <= Int64(Self.largestManifest) else { throw .refused("\(manifestPath) is too large to be a manifest") }
        let manifest = try BackupManifest(parsing: String(decoding: try read(manifestPath), as: UTF8.self))
        let listed = Set(manifest.entries.map(\.path))
        for path in listed.sorted() where !BackupLayout.isKnown(path) {
            throw .refused("\(BackupManifest.fileName) lists \(path), which is not a file a psyx backup holds")
        }
        for path in [BackupLayout.database, BackupLayout.metadata] where !listed.contains(path) {
            throw .refused("\(BackupManifest.fileName) does not list \(path)")
        }
        var found = Set<String>()
        try walk("", into: &found)
        found.remove(BackupManifest.fileName)
        if let missing = listed.subtracting(found).sorted().first {
            throw .refused("\(missing) is listed in \(BackupManifest.fileName) but missing from \(source)")
        }
        if let extra = found.subtracting(listed).sorted().first {
            throw .refused("\(source)/\(extra) is not listed in \(BackupManifest.fileName): the backup was changed")
        }
        var bytes: Int64 = 0
        for entry in manifest.entries {
            let digest = try HashedFile.hash(source + "/" + entry.path)
            guard digest.sha256 == entry.sha256 else {
                throw .refused("\(entry.path) does not have the SHA-256 \(BackupManifest.fileName) lists: the backup is damaged or was changed")
            }
            bytes += digest.bytes
        }
        let metadata = try BackupMetadata(json: try read(source + "/" + BackupLayout.metadata))
        return Verified(manifest: manifest, metadata: metadata, bytes: bytes)
    }

    /// Every regular file under `source`, relative to it; a symbolic link or any other kind of entry
    /// is refused (lstat: nothing is followed).
    private func walk(_ relative: String, into found: inout Set<String>) throws(BackupError) {
        let folder = relative.isEmpty ? source : source + "/" + relative
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: folder)
        } catch {
            throw .refused("cannot list \(folder): \(error.localizedDescription)")
        }
        for name in names {
            let path = relative.isEmpty ? name : relative + "/" + name
            guard let status = FileStatus.of(source + "/" + path) else { throw .system("stat", source + "/" + path) }
            if status.isDirectory {
                try walk(path, into: &found)
            } else if status.isRegularFile {
                found.insert(path)
            } else {
                throw .refused("\(source)/\(path) is a symbolic link or a special file: a backup holds only files and folders")
            }
        }
    }

    private func read(_ path: String) throws(BackupError) -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else { throw .system("read", path) }
        return Array(data)
    }
}
