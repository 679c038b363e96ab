import CSQLite

/// An error reported by SQLite, carrying its (extended) result code and message so the log can say
/// what went wrong; it never reaches a client (the store turns it into `StoreError.failure`).
struct SQLiteError: Error, Equatable, CustomStringConvertible {
    /// The extended result code (extended codes are switched on for every connection).
    var code: Int32
    var message: String

    init(code: Int32, message: String) {
        self.code = code
        self.message = message
    }

    /// Reads the current error of a connection (`db` may be nil when opening failed before a handle existed).
    init(code: Int32, connection db: OpaquePointer?) {
        self.code = code
        if let db, let text = sqlite3_errmsg(db) {
            message = String(cString: text)
        } else if let text = sqlite3_errstr(code) {
            message = String(cString: text)
        } else {
            message = "unknown error"
        }
    }

    /// The primary result code (`SQLITE_CONSTRAINT` for `SQLITE_CONSTRAINT_UNIQUE`, …).
    var primaryCode: Int32 { code & 0xFF }

    var isConstraint: Bool { primaryCode == SQLITE_CONSTRAINT }
    var isUniqueViolation: Bool { code == SQLITE_CONSTRAINT_UNIQUE_CODE || code == SQLITE_CONSTRAINT_PRIMARYKEY_CODE }
    var isForeignKeyViolation: Bool { code == SQLITE_CONSTRAINT_FOREIGNKEY_CODE }

    var description: String { "SQLite error \(code): \(message)" }
}

// The extended constraint codes are C macros built from other macros, which Swift does not import.
let SQLITE_CONSTRAINT_UNIQUE_CODE: Int32 = SQLITE_CONSTRAINT | (8 << 8)
let SQLITE_CONSTRAINT_PRIMARYKEY_CODE: Int32 = SQLITE_CONSTRAINT | (6 << 8)
let SQLITE_CONSTRAINT_FOREIGNKEY_CODE: Int32 = SQLITE_CONSTRAINT | (3 << 8)
