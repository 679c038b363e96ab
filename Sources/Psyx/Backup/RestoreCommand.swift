import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `psyx restore SRC`: a backup folder into a new, empty data directory (`--data`).
///
/// The whole backup is verified before anything is written (`BackupVerification`); then each file is
/// copied and hashed again as it is written (a backup changed meanwhile is caught), and fsynced.
/// Last, the database is opened as `psyx serve` opens it (migrations run; a schema newer than this
/// psyx is refused) and its pack rows are checked against the restored folders. Any failure removes
/// everything written, leaving the data directory as it was found.
struct RestoreCommand {
    let source: String
    let data: DataDirectory

    struct Outcome {
        var verified: BackupVerification.Verified
        var schemaVersion = 0
        var packs = 0
        var replies = 0
        var packFiles = 0
    }

    func run() throws(BackupError) -> Outcome {
        let root = BackupCommand.resolved(data.root)
        guard root != source, !root.hasPrefix(source + "/") else {
            throw .refused("the data directory \(data.root) is inside SRC \(source): restore into a folder elsewhere")
        }
        let target = try EmptyTarget(data.root, mode: 0o750, role: "the data directory")
        do {
            var outcome = Outcome(verified: try BackupVerification(source: source).run())
            try copy(outcome.verified.manifest, into: &outcome)
            try check(&outcome)
            return outcome
        } catch {
            target.discard()
            throw error
        }
    }

    /// Copies every listed file but `backup.json` into the data directory's layout: the database
    /// owner-only, pack folders and images readable by the service's group (Nginx serves them).
    private func copy(_ manifest: BackupManifest, into outcome: inout Outcome) throws(BackupError) {
        try makeFolder(data.packs)
        var folders = Set<String>()
        for entry in manifest.entries where entry.path != BackupLayout.metadata {
            let target: String
            let mode: mode_t
            if entry.path == BackupLayout.database {
                (target, mode) = (data.database, 0o600)
            } else {
                let pack = entry.path.split(separator: "/")[1]
                let folder = data.packs + "/" + pack
                if folders.insert(folder).inserted { try makeFolder(folder) }
                (target, mode) = (data.root + "/" + entry.path, 0o640)
                outcome.packFiles += 1
            }
            let input = try HashedFile.openForReading(source + "/" + entry.path)
            defer { close(input) }
            let digest = try HashedFile.copy(input, named: source + "/" + entry.path, to: target, mode: mode)
            guard digest.sha256 == entry.sha256 else {
                throw .refused("\(entry.path) changed in \(source) while it was restored: its SHA-256 no longer matches")
            }
        }
        for folder in folders { try HashedFile.syncFolder(folder) }
        try HashedFile.syncFolder(data.packs)
        try HashedFile.syncFolder(data.root)
    }

    /// Opens the restored database as `psyx serve` does and checks it against the pack folders and
    /// against `backup.json`.
    private func check(_ outcome: inout Outcome) throws(BackupError) {
        let (rows, totals) = try SQLiteSnapshot.sqlite("opening the restored database") {
            let store = try SQLiteStore(path: data.database, readerCount: 1)
            let rows = try store.withReader { try PackRow.all(in: $0) }
            let totals = try store.withReader { try PackRow.totals(in: $0) }
            return (rows, totals)
        }
        let problems = PackFolderAgreement.problems(rows: rows, packsFolder: data.packs)
        guard problems.isEmpty else { throw PackFolderAgreement.refusal(problems, "the restored data directory is not consistent") }
        let metadata = outcome.verified.metadata
        guard rows.count == metadata.packs, totals.replies == metadata.replies else {
            throw .refused("the restored database holds \(rows.count) packs and \(totals.replies) replies, "
                + "but \(BackupLayout.metadata) says \(metadata.packs) and \(metadata.replies)")
        }
        outcome.schemaVersion = totals.schemaVersion
        outcome.packs = rows.count
        outcome.replies = totals.replies
    }

    private func makeFolder(_ path: String) throws(BackupError) {
        try HashedFile.makeFolder(path, mode: 0o750)
    }
}
