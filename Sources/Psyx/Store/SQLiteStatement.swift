import CSQLite

/// A prepared statement: bind by 1-based index, `step()` through rows, read columns by 0-based index.
/// Not thread-safe; it belongs to the connection that prepared it and is used under that connection's lock.
final class SQLiteStatement {
    let handle: OpaquePointer

    init(handle: OpaquePointer) {
        self.handle = handle
    }

    deinit {
        sqlite3_finalize(handle)
    }

    // MARK: Binding (1-based indexes, as in SQL `?1`, `?2` …)

    func bind(_ value: Int64, at index: Int32) throws {
        try check(sqlite3_bind_int64(handle, index, value))
    }

    func bind(_ value: Int, at index: Int32) throws {
        try bind(Int64(value), at: index)
    }

    func bind(_ value: Double, at index: Int32) throws {
        try check(sqlite3_bind_double(handle, index, value))
    }

    /// Binds the exact UTF-8 bytes (a string with an embedded NUL is kept whole, not cut).
    func bind(_ value: String, at index: Int32) throws {
        var text = value
        let code = text.withUTF8 { bytes -> Int32 in
            guard let base = bytes.baseAddress, bytes.count > 0 else {
                return sqlite3_bind_text(handle, index, "", 0, sqliteTransient)
            }
            let chars = UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self)
            return sqlite3_bind_text64(handle, index, chars, UInt64(bytes.count), sqliteTransient, UInt8(SQLITE_UTF8))
        }
        try check(code)
    }

    func bind(_ value: String?, at index: Int32) throws {
        if let value {
            try bind(value, at: index)
        } else {
            try bindNull(at: index)
        }
    }

    func bindNull(at index: Int32) throws {
        try check(sqlite3_bind_null(handle, index))
    }

    // MARK: Stepping

    /// Advances to the next row: true when a row is available, false when the statement is done.
    @discardableResult
    func step() throws -> Bool {
        let code = sqlite3_step(handle)
        switch code {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default: throw SQLiteError(code: code, connection: sqlite3_db_handle(handle))
        }
    }

    /// Makes the statement ready for reuse and forgets its bindings; ends the read it held open.
    func reset() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    // MARK: Columns (0-based indexes)

    func int64(at column: Int32) -> Int64 {
        sqlite3_column_int64(handle, column)
    }

    func int(at column: Int32) -> Int {
        Int(truncatingIfNeeded: sqlite3_column_int64(handle, column))
    }

    func double(at column: Int32) -> Double {
        sqlite3_column_double(handle, column)
    }

    func isNull(at column: Int32) -> Bool {
        sqlite3_column_type(handle, column) == SQLITE_NULL
    }

    /// The column as text; NULL reads as the empty string.
    func text(at column: Int32) -> String {
        guard let bytes = sqlite3_column_text(handle, column) else { return "" }
        let count = Int(sqlite3_column_bytes(handle, column))
        return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    }

    func optionalText(at column: Int32) -> String? {
        isNull(at: column) ? nil : text(at: column)
    }

    private func check(_ code: Int32) throws {
        guard code == SQLITE_OK else {
            throw SQLiteError(code: code, connection: sqlite3_db_handle(handle))
        }
    }
}

/// `SQLITE_TRANSIENT`: SQLite copies the bound bytes, so Swift's buffer may go away right after binding.
let sqliteTransient = unsafeBitCast(-1 as Int, to: sqlite3_destructor_type.self)
