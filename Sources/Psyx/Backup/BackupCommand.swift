import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `psyx backup DEST`: a consistent copy of a data directory while `psyx serve` keeps running on it.
///
/// First the database, as one SQLite snapshot (`SQLiteSnapshot`); then the folders of exactly the
/// packs in that snapshot (pack images never change once committed); then `backup.json` and the
/// manifest `SHA256SUMS`. Every file and folder is fsynced; on any failure DEST is left as it was found.
struct BackupCommand {
    let data: DataDirectory
    /// The live SQLite file: the data directory's, or another one named by `--database sqlite:PATH`.
    let database: String
    let destination: String
    /// Waits this long before the snapshot (`PSYX_BACKUP_PAUSE_MS`): a test aid, so writes made while
    /// the command runs land in its snapshot.
    var pauseBeforeSnapshotMilliseconds: UInt32 = 0
    /// Runs after the snapshot, before a pack's folder is copied: a test aid (a pack removed meanwhile).
    var beforePackCopy: (PackRow) -> Void = { _ in }

    /// What was written, for the summary on stdout.
    struct Outcome {
        var metadata: BackupMetadata
        var databaseBytes: Int64 = 0
        var packFolders = 0
        var packFiles = 0
        var packBytes: Int64 = 0
        var leftOut: [PackRow] = []
        /// Entries of pack folders that are not regular files (never made by psyx): not copied.
        var skipped: [String] = []
    }

    init(data: DataDirectory, database: String? = nil, destination: String) {
        self.data = data
        self.database = database ?? data.database
        self.destination = destination
    }

    func run() throws(BackupError) -> Outcome {
        try checkOutsideDataDirectory()
        let target = try EmptyTarget(destination, mode: 0o700, role: "DEST")
        do {
            return try write()
        } catch {
            target.discard()
            throw error
        }
    }

    private func write() throws(BackupError) -> Outcome {
        let snapshot = try SQLiteSnapshot(live: database)
        if pauseBeforeSnapshotMilliseconds > 0 { usleep(pauseBeforeSnapshotMilliseconds * 1000) }
        let created = Self.timestamp()
        var manifest = BackupManifest()
        var outcome = Outcome(metadata: BackupMetadata(created: created, schemaVersion: 0, packs: 0, replies: 0, packsLeftOut: []))
        let databasePath = destination + "/" + BackupLayout.database
        do {
            let copy = try snapshot.take(into: databasePath)
            let packs = try SQLiteSnapshot.sqlite("reading the snapshot") { try PackRow.all(in: copy) }
            try makeFolder(destination + "/" + BackupLayout.packs)
            for pack in packs {
                beforePackCopy(pack)
                guard let copied = try copyFolder(of: pack, snapshot: snapshot) else {
                    outcome.leftOut.append(pack)
                    continue
                }
                for (path, digest) in copied.files {
                    manifest.add(path, sha256: digest.sha256)
                    outcome.packBytes += digest.bytes
                }
                outcome.packFolders += 1
                outcome.packFiles += copied.files.count
                outcome.skipped += copied.skipped
            }
            try leaveOut(outcome.leftOut, from: copy, named: databasePath)
            let kept = try SQLiteSnapshot.sqlite("reading the snapshot") { try PackRow.all(in: copy) }
            let problems = PackFolderAgreement.problems(rows: kept, packsFolder: destination + "/" + BackupLayout.packs)
            guard problems.isEmpty else {
                throw PackFolderAgreement.refusal(problems, "the live data directory \(data.root) is not consistent")
            }
            let totals = try SQLiteSnapshot.sqlite("reading the snapshot") { try PackRow.totals(in: copy) }
            outcome.metadata = BackupMetadata(created: created, schemaVersion: totals.schemaVersion, packs: kept.count,
                                              replies: totals.replies, packsLeftOut: outcome.leftOut.map(\.name))
        }  // the copy's connection closes here: the file is whole, with no journal beside it
        try checkOnly([BackupLayout.database, BackupLayout.packs], in: destination)
        let database = try HashedFile.hash(databasePath)
        try HashedFile.sync(databasePath)
        manifest.add(BackupLayout.database, sha256: database.sha256)
        outcome.databaseBytes = database.bytes
        let metadata = try HashedFile.write(outcome.metadata.json, to: destination + "/" + BackupLayout.metadata, mode: 0o600)
        manifest.add(BackupLayout.metadata, sha256: metadata.sha256)
        _ = try HashedFile.write(Array(manifest.text.utf8), to: destination + "/" + BackupManifest.fileName, mode: 0o600)
        try HashedFile.syncFolder(destination + "/" + BackupLayout.packs)
        try HashedFile.syncFolder(destination)
        return outcome
    }

    /// Removes from the copy the packs whose folders were removed before they could be copied, with
    /// their pairs and replies, so that the backup holds each pack whole or not at all.
    private func leaveOut(_ packs: [PackRow], from copy: SQLiteDatabase, named path: String) throws(BackupError) {
        guard !packs.isEmpty else { return }
        try SQLiteSnapshot.sqlite("leaving removed packs out of \(path)") {
            try copy.exec("PRAGMA foreign_keys = ON")
            try copy.transaction {
                for pack in packs { try copy.run("DELETE FROM packs WHERE p_id = ?1") { try $0.bind(pack.id, at: 1) } }
            }
        }
        try SQLiteSnapshot.checkIntegrity(of: copy, named: path)
    }

    /// A backup inside the data directory would be served (packs/) or swept (staging/), and the next
    /// backup would copy it again.
    private func checkOutsideDataDirectory() throws(BackupError) {
        let root = Self.resolved(data.root)
        let target = Self.resolved((destination as NSString).deletingLastPathComponent) + "/"
            + (destination as NSString).lastPathComponent
        guard target != root, !target.hasPrefix(root + "/") else {
            throw .refused("DEST \(destination) is inside the data directory \(data.root): put backups elsewhere")
        }
    }

    /// Nothing but `names` in `folder` (no `-journal` or `-wal` left beside the database copy).
    private func checkOnly(_ names: Set<String>, in folder: String) throws(BackupError) {
        let entries = Set((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [])
        guard entries == names else {
            throw .refused("unexpected files in \(folder): \(entries.subtracting(names).sorted().joined(separator: ", "))")
        }
    }

    func makeFolder(_ path: String) throws(BackupError) {
        try HashedFile.makeFolder(path, mode: 0o700)
    }

    static func resolved(_ path: String) -> String {
        guard let real = realpath(path, nil) else { return path }
        defer { free(real) }
        return String(cString: real)
    }

    /// Now, ISO 8601 UTC to the second, as the API's dates.
    static func timestamp(_ date: Date = Date()) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }
}
