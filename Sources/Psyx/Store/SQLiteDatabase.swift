import CSQLite

/// One SQLite connection: open, `exec`, prepared and cached statements, transactions.
///
/// Not thread-safe by itself (opened in multi-thread mode, `SQLITE_OPEN_NOMUTEX`): the owner keeps
/// each connection behind a lock and uses it from one thread at a time (see `SQLiteStore`).
final class SQLiteDatabase {
    let handle: OpaquePointer
    /// Statements prepared once and reused: the hot queries skip parsing and planning.
    private var cache: [String: SQLiteStatement] = [:]

    enum Mode {
        case readWriteCreate
        case readWrite
        case readOnly

        var flags: Int32 {
            let base = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_PRIVATECACHE
            switch self {
            case .readWriteCreate: return base | SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
            case .readWrite: return base | SQLITE_OPEN_READWRITE
            case .readOnly: return base | SQLITE_OPEN_READONLY
            }
        }
    }

    init(path: String, mode: Mode = .readWriteCreate) throws {
        var db: OpaquePointer?
        let code = sqlite3_open_v2(path, &db, mode.flags, nil)
        guard code == SQLITE_OK, let db else {
            let error = SQLiteError(code: code, connection: db)
            sqlite3_close_v2(db)
            throw error
        }
        handle = db
        sqlite3_extended_result_codes(db, 1)
    }

    deinit {
        cache.removeAll()  // finalizes the cached statements before the connection closes
        sqlite3_close_v2(handle)
    }

    /// Runs one or more SQL statements that return nothing of interest (DDL, PRAGMAs, BEGIN/COMMIT).
    func exec(_ sql: String) throws {
        var errorText: UnsafeMutablePointer<CChar>?
        let code = sqlite3_exec(handle, sql, nil, nil, &errorText)
        guard code == SQLITE_OK else {
            let message = errorText.map { String(cString: $0) }
            sqlite3_free(errorText)
            var error = SQLiteError(code: code, connection: handle)
            if let message { error.message = message }
            throw error
        }
    }

    /// Prepares a statement the caller owns (finalized when released).
    func prepare(_ sql: String, persistent: Bool = false) throws -> SQLiteStatement {
        var statement: OpaquePointer?
        let flags = persistent ? UInt32(SQLITE_PREPARE_PERSISTENT) : 0
        let code = sqlite3_prepare_v3(handle, sql, -1, flags, &statement, nil)
        guard code == SQLITE_OK, let statement else {
            throw SQLiteError(code: code == SQLITE_OK ? SQLITE_MISUSE : code, connection: handle)
        }
        return SQLiteStatement(handle: statement)
    }

    /// Runs `body` with the cached statement for `sql`, then resets it (which also ends any read it
    /// held open). Do not nest two uses of the same SQL text: they would share one statement.
    func withStatement<T>(_ sql: String, _ body: (SQLiteStatement) throws -> T) throws -> T {
        let statement: SQLiteStatement
        if let cached = cache[sql] {
            statement = cached
        } else {
            statement = try prepare(sql, persistent: true)
            cache[sql] = statement
        }
        defer { statement.reset() }
        return try body(statement)
    }

    /// Runs a statement that returns no rows (or whose rows are ignored) and returns the rows changed.
    @discardableResult
    func run(_ sql: String, _ bind: (SQLiteStatement) throws -> Void = { _ in }) throws -> Int {
        try withStatement(sql) { statement in
            try bind(statement)
            while try statement.step() {}
            return changes
        }
    }

    /// The first column of the first row as an integer, nil when there is no row or it is NULL.
    func int64(_ sql: String, _ bind: (SQLiteStatement) throws -> Void = { _ in }) throws -> Int64? {
        try withStatement(sql) { statement in
            try bind(statement)
            guard try statement.step(), !statement.isNull(at: 0) else { return nil }
            return statement.int64(at: 0)
        }
    }

    /// The first column of the first row as text, nil when there is no row or it is NULL.
    func text(_ sql: String, _ bind: (SQLiteStatement) throws -> Void = { _ in }) throws -> String? {
        try withStatement(sql) { statement in
            try bind(statement)
            guard try statement.step() else { return nil }
            return statement.optionalText(at: 0)
        }
    }

    enum TransactionKind: String {
        /// Takes the write lock at once: a writer never fails half-way with SQLITE_BUSY on upgrade.
        case immediate = "IMMEDIATE"
        case deferred = "DEFERRED"
    }

    /// Runs `body` in a transaction: committed when it returns, rolled back when it throws (the error
    /// is rethrown unchanged).
    func transaction<T>(_ kind: TransactionKind = .immediate, _ body: () throws -> T) throws -> T {
        try exec("BEGIN \(kind.rawValue)")
        let result: T
        do {
            result = try body()
        } catch {
            rollback()
            throw error
        }
        do {
            try exec("COMMIT")
        } catch {
            rollback()
            throw error
        }
        return result
    }

    /// Rolls back the open transaction, if SQLite has not already done so after an error.
    func rollback() {
        if !isAutocommit {
            _ = try? exec("ROLLBACK")
        }
    }

    var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }
    var changes: Int { Int(sqlite3_changes64(handle)) }
    /// True outside a transaction (SQLite's "autocommit" mode).
    var isAutocommit: Bool { sqlite3_get_autocommit(handle) != 0 }

    func setBusyTimeout(milliseconds: Int32) {
        sqlite3_busy_timeout(handle, milliseconds)
    }
}
