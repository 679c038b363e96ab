import CSQLite
import Foundation

/// The database half of a backup. SQLite's online backup API copies the live file as one read
/// transaction sees it (the WAL included) while psyx keeps writing — in WAL mode readers and the
/// writer do not block each other, and copying every page in one step means the copy never restarts
/// because of a write. The copy is then made self-contained (rollback journal: no `-wal` beside it)
/// and checked.
final class SQLiteSnapshot {
    /// How long the backup waits for a lock (SQLITE_BUSY/LOCKED) before it gives up.
    static let patienceSeconds = 60.0

    /// The live database: the backup's source, and later asked whether a pack whose folder could not be
    /// copied still exists. Opened read-write though only read: on a database no psyx has open, a
    /// read-only connection would create `-wal` and `-shm` and leave them; a read-write one, closing
    /// last, removes them. (Run as root, SQLite gives any such file the database file's owner.)
    private let live: SQLiteDatabase
    private let livePath: String

    init(live path: String) throws(BackupError) {
        guard FileStatus.of(path)?.isRegularFile == true else {
            throw .refused("no database at \(path): is --data (PSYX_DATA) right?")
        }
        livePath = path
        live = try Self.sqlite("opening \(path)") { try SQLiteDatabase(path: path, mode: .readWrite) }
        live.setBusyTimeout(milliseconds: SQLiteStore.busyTimeoutMilliseconds)
    }

    /// Writes the snapshot to the new file `target` (owner-only), in rollback-journal mode, and
    /// checks it with `PRAGMA integrity_check`; returns the copy, open.
    func take(into target: String) throws(BackupError) -> SQLiteDatabase {
        try Self.sqlite("preparing \(target)") { try SQLiteStore.prepareFile(at: target) }
        let copy = try Self.sqlite("opening \(target)") { try SQLiteDatabase(path: target, mode: .readWrite) }
        guard let backup = sqlite3_backup_init(copy.handle, "main", live.handle, "main") else {
            throw .refused("database backup could not start: \(SQLiteError(code: sqlite3_errcode(copy.handle), connection: copy.handle))")
        }
        let deadline = Date().addingTimeInterval(Self.patienceSeconds)
        var code = SQLITE_OK
        repeat {
            code = sqlite3_backup_step(backup, -1)
            if code == SQLITE_BUSY || code == SQLITE_LOCKED {
                usleep(50_000)
            }
        } while (code == SQLITE_OK || code == SQLITE_BUSY || code == SQLITE_LOCKED) && Date() < deadline
        let finished = sqlite3_backup_finish(backup)
        guard code == SQLITE_DONE, finished == SQLITE_OK else {
            let reason = code == SQLITE_DONE ? finished : code
            let waited = reason == SQLITE_BUSY || reason == SQLITE_LOCKED ? " (still locked after \(Int(Self.patienceSeconds)) s)" : ""
            throw .refused("database backup of \(livePath) failed\(waited): \(SQLiteError(code: reason, connection: copy.handle))")
        }
        let mode = try Self.sqlite("switching the copy to a rollback journal") { try copy.text("PRAGMA journal_mode = DELETE") }
        guard mode?.lowercased() == "delete" else {
            throw .refused("the database copy stayed in journal mode \(mode ?? "unknown")")
        }
        try Self.checkIntegrity(of: copy, named: target)
        return copy
    }

    /// The live database's id for the pack named `name`, nil when there is none.
    func livePackID(named name: String) throws(BackupError) -> Int64? {
        try Self.sqlite("reading \(livePath)") {
            try live.int64("SELECT p_id FROM packs WHERE pack_name = ?1") { try $0.bind(name, at: 1) }
        }
    }

    /// `PRAGMA integrity_check` must answer exactly `ok`.
    static func checkIntegrity(of db: SQLiteDatabase, named path: String) throws(BackupError) {
        let answers = try sqlite("checking \(path)") {
            try db.withStatement("PRAGMA integrity_check") { statement in
                var rows: [String] = []
                while try statement.step() { rows.append(statement.text(at: 0)) }
                return rows
            }
        }
        guard answers == ["ok"] else {
            throw .refused("PRAGMA integrity_check of \(path) failed: \(answers.prefix(5).joined(separator: "; "))")
        }
    }

    /// Runs SQLite work, turning its errors into a `BackupError` that says what was being done.
    static func sqlite<T>(_ doing: String, _ body: () throws -> T) throws(BackupError) -> T {
        do {
            return try body()
        } catch let error as BackupError {
            throw error
        } catch StoreError.failure(let message) {
            throw .refused("\(doing): \(message)")
        } catch {
            throw .refused("\(doing): \(error)")
        }
    }
}
