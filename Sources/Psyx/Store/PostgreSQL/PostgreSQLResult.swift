import CPostgreSQL

/// The rows of one statement, read in libpq's text format and converted on access. Owns the
/// `PGresult` (cleared when released); not shared between threads, like the connection it came from.
final class PostgreSQLResult {
    private let handle: OpaquePointer

    /// Takes ownership of a result libpq returned.
    init(owning handle: OpaquePointer) {
        self.handle = handle
    }

    deinit { PQclear(handle) }

    var rowCount: Int { Int(PQntuples(handle)) }
    var columnCount: Int { Int(PQnfields(handle)) }

    /// Rows an INSERT/UPDATE/DELETE touched (`PQcmdTuples`); 0 for other statements.
    var affectedRows: Int { Int(String(cString: PQcmdTuples(handle))) ?? 0 }

    /// The rows, for `for row in result.rows`.
    var rows: [PostgreSQLRow] { (0..<rowCount).map { PostgreSQLRow(result: self, index: $0) } }

    /// The first row, nil when there is none.
    var first: PostgreSQLRow? { rowCount > 0 ? PostgreSQLRow(result: self, index: 0) : nil }

    func isNull(row: Int, column: Int) -> Bool {
        PQgetisnull(handle, Int32(row), Int32(column)) == 1
    }

    /// The value's text; nil for NULL. (libpq's text values end at their length: none contain NUL.)
    func optionalText(row: Int, column: Int) -> String? {
        guard !isNull(row: row, column: column), let value = PQgetvalue(handle, Int32(row), Int32(column)) else {
            return nil
        }
        return String(cString: value)
    }

    func columnName(_ column: Int) -> String {
        PQfname(handle, Int32(column)).map { String(cString: $0) } ?? "column \(column)"
    }
}
