/// A value sent as a statement parameter in libpq's text format: the text PostgreSQL parses for the
/// parameter's type, or nil for SQL NULL. The server does the typing (`$1::bigint` where it cannot
/// infer one), so the client never builds SQL from values.
protocol PostgreSQLParameter {
    var postgreSQLText: String? { get }
}

extension String: PostgreSQLParameter {
    var postgreSQLText: String? { self }
}

extension Int64: PostgreSQLParameter {
    var postgreSQLText: String? { String(self) }
}

extension Int: PostgreSQLParameter {
    var postgreSQLText: String? { String(self) }
}

extension Double: PostgreSQLParameter {
    /// Swift prints the shortest text that reads back as the same double; PostgreSQL's float8 input
    /// reads it exactly. Infinities and NaN use PostgreSQL's spelling.
    var postgreSQLText: String? {
        if isNaN { return "NaN" }
        if isInfinite { return self < 0 ? "-Infinity" : "Infinity" }
        return String(self)
    }
}

extension Bool: PostgreSQLParameter {
    var postgreSQLText: String? { self ? "t" : "f" }
}

extension Optional: PostgreSQLParameter where Wrapped: PostgreSQLParameter {
    var postgreSQLText: String? { self?.postgreSQLText }
}
