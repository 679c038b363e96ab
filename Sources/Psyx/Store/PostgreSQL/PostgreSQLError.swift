/// An error from PostgreSQL or libpq, with the server's SQLSTATE when it sent one, so callers decide by
/// code (a unique violation is the user's input, a serialization failure is retried) rather than by
/// message. Messages come from the server or libpq and never contain the connection string or a
/// password (`PostgreSQLConnectionInfo.scrub`). Like `SQLiteError`, it never reaches a client.
struct PostgreSQLError: Error, Equatable, Sendable, CustomStringConvertible {
    enum Kind: Equatable, Sendable {
        /// The server refused a statement; `sqlState` says why.
        case server
        /// The connection could not be opened (server down, refused login, bad host).
        case connectFailed
        /// An open connection broke; the statement may not have run. The next use reconnects.
        case connectionLost
        /// The connection broke while COMMIT was on its way: the transaction may or may not have
        /// committed, so it is never retried blindly.
        case commitUnknown
        /// A result was not what the caller read it as (a NULL read as a number, a bad integer).
        case unexpectedValue
        /// A parameter PostgreSQL cannot take (text with a NUL character): refused before sending.
        case invalidParameter
    }

    var kind: Kind
    /// The five-character SQLSTATE (`23505`), when the server sent one.
    var sqlState: String?
    var message: String
    /// The server's DETAIL line, if any.
    var detail: String?
    /// The constraint a violation names, if any.
    var constraint: String?

    init(_ kind: Kind, sqlState: String? = nil, message: String, detail: String? = nil, constraint: String? = nil) {
        self.kind = kind
        self.sqlState = sqlState
        self.message = message
        self.detail = detail
        self.constraint = constraint
    }

    var isUniqueViolation: Bool { sqlState == "23505" }
    var isExclusionViolation: Bool { sqlState == "23P01" }
    var isForeignKeyViolation: Bool { sqlState == "23503" }
    var isCheckViolation: Bool { sqlState == "23514" }
    /// 40001 (serialization_failure) or 40P01 (deadlock_detected): the transaction was rolled back and
    /// running it again from the start is the documented remedy.
    var isSerializationFailure: Bool { sqlState == "40001" || sqlState == "40P01" }
    /// Class 08 (connection exception) and the "administrator command" shutdowns (57P01–57P03) mean the
    /// session is gone, whatever libpq's status says yet.
    var isConnectionLost: Bool {
        kind == .connectionLost || kind == .commitUnknown
            || sqlState?.hasPrefix("08") == true || ["57P01", "57P02", "57P03"].contains(sqlState ?? "")
    }

    /// A message libpq wrote, without the newline it ends with; nil for none.
    static func libpqMessage(_ text: UnsafePointer<CChar>?) -> String? {
        guard let text else { return nil }
        var message = String(cString: text)
        while message.last == "\n" { message.removeLast() }
        return message.isEmpty ? nil : message
    }

    var description: String {
        var text = "PostgreSQL"
        if let sqlState { text += " error \(sqlState)" }
        switch kind {
        case .server: break
        case .connectFailed: text += " (cannot connect)"
        case .connectionLost: text += " (connection lost)"
        case .commitUnknown: text += " (connection lost during COMMIT: outcome unknown)"
        case .unexpectedValue: text += " (unexpected value)"
        case .invalidParameter: text += " (invalid parameter)"
        }
        text += ": " + message
        if let detail { text += " (\(detail))" }
        return text
    }
}
