import FastCGI

/// Tells whether anything was committed to the database file since an earlier look, whoever wrote
/// it: this store's writer, another psyx, a bulk import, a researcher in the `sqlite3` shell.
///
/// SQLite's `PRAGMA data_version` changes on a connection whenever *another* connection (in any
/// process) commits, but never for that connection's own commits. So the watch owns one dedicated
/// connection that cannot write (`query_only`), and its numbers are comparable only with each other:
/// never with another connection's, never across store instances.
final class ChangeWatch: Sendable {
    private let connection: Locked<SQLiteDatabase>

    init(path: String) throws {
        connection = Locked(try SQLiteReaderPool.open(path))
    }

    /// The connection's current data version. Each call is a short read transaction of its own (the
    /// cached statement is reset at once), so the watch never holds a snapshot that would keep the
    /// writer's checkpoints from finishing. nil only if SQLite answered no row.
    func version() throws -> Int64? {
        try connection.withLock { db in try db.int64("PRAGMA data_version") }
    }
}
