import Foundation

/// `psyx backup DEST` and `psyx restore SRC`, with the data directory from `--data` / `PSYX_DATA` as
/// the other commands take it, and the SQLite file from `--database` (the data directory's by default;
/// PostgreSQL is refused). Each prints what it wrote; a failure exits non-zero with one sentence.
enum BackupCommands {
    static let usage = """
        usage: psyx backup DEST    (while psyx serves; DEST must not exist or be empty)
               psyx restore SRC    (into --data DIR, which must not exist or be empty)
        """

    static func run(_ words: [String], settings: Settings, environment: [String: String]) throws {
        guard words.count == 2, !words[1].isEmpty, !words[1].hasPrefix("-") else { throw CommandError(usage) }
        let data = DataDirectory(standardized(settings.dataDirectory))
        let database: String
        switch settings.database {
        case .postgresql:
            throw CommandError("with a PostgreSQL database, back it up with pg_dump or a base backup (pg_basebackup) "
                + "and copy packs/ beside it; psyx \(words[0]) handles the embedded SQLite database only")
        case .sqlite(let path):
            database = standardized(path)
        }
        if words[0] == "restore" && database != data.database {
            throw CommandError("psyx restore writes the data directory's own database (\(data.database)): restore "
                + "without --database (PSYX_DATABASE), then move psyx.sqlite3 to \(database)")
        }
        let path = standardized(words[1])
        if words[0] == "backup" {
            var command = BackupCommand(data: data, database: database, destination: path)
            command.pauseBeforeSnapshotMilliseconds = environment["PSYX_BACKUP_PAUSE_MS"].flatMap { UInt32($0) }
                .map { min($0, 60_000) } ?? 0
            let started = Date()
            print(summary(try command.run(), of: command, started: started), terminator: "")
        } else {
            let command = RestoreCommand(source: BackupCommand.resolved(path), data: data)
            let started = Date()
            print(summary(try command.run(), of: command, started: started), terminator: "")
        }
    }

    static func summary(_ outcome: BackupCommand.Outcome, of command: BackupCommand, started: Date) -> String {
        let metadata = outcome.metadata
        var text = "backup of \(command.data.root) (database \(command.database)) written to \(command.destination)\n"
            + "  database  \(BackupLayout.database): schema \(metadata.schemaVersion), \(metadata.packs) packs, "
            + "\(metadata.replies) replies, \(ByteCount.text(outcome.databaseBytes)), integrity ok, snapshot \(metadata.created)\n"
            + "  packs     \(outcome.packFolders) folders, \(outcome.packFiles) files, \(ByteCount.text(outcome.packBytes))\n"
        for pack in outcome.leftOut {
            text += "  left out  pack \(pack.name) (p_id \(pack.id), \(pack.replyCount) replies): removed while the backup ran\n"
        }
        for path in outcome.skipped {
            text += "  skipped   \(path): not a regular file\n"
        }
        text += "  manifest  \(BackupManifest.fileName) (\(outcome.packFiles + 2) files; check with "
            + "`cd \(command.destination) && sha256sum -c \(BackupManifest.fileName)`), \(BackupLayout.metadata)\n"
            + "  took      \(ByteCount.seconds(since: started))\n"
        return text
    }

    static func summary(_ outcome: RestoreCommand.Outcome, of command: RestoreCommand, started: Date) -> String {
        let verified = outcome.verified
        return "restored \(command.source) into \(command.data.root)\n"
            + "  verified  \(BackupManifest.fileName): \(verified.manifest.entries.count) files, "
            + "\(ByteCount.text(verified.bytes)), every SHA-256 matches (backup of \(verified.metadata.created))\n"
            + "  database  \(BackupLayout.database): schema \(outcome.schemaVersion), \(outcome.packs) packs, "
            + "\(outcome.replies) replies; pack rows and folders agree\n"
            + "  packs     \(outcome.packFiles) files\n"
            + "  took      \(ByteCount.seconds(since: started))\n"
            + "next: start psyx with --data \(command.data.root), as the service user "
            + "(after a restore as root: chown -R psyx:www-data \(command.data.root))\n"
    }

    /// Absolute, without `.`/`..` parts or a trailing slash.
    private static func standardized(_ path: String) -> String {
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        return URL(fileURLWithPath: absolute).standardized.path
    }
}
