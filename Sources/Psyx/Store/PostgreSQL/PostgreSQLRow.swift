/// One row of a `PostgreSQLResult`, read by column index with typed accessors that refuse a NULL or a
/// value that is not of the asked type (a schema mismatch is an error, not a silent 0).
struct PostgreSQLRow {
    let result: PostgreSQLResult
    let index: Int

    func isNull(_ column: Int) -> Bool { result.isNull(row: index, column: column) }

    func optionalText(_ column: Int) -> String? { result.optionalText(row: index, column: column) }

    func text(_ column: Int) throws -> String {
        guard let text = optionalText(column) else { throw unexpected(column, "NULL", "text") }
        return text
    }

    func optionalInt64(_ column: Int) throws -> Int64? {
        guard let text = optionalText(column) else { return nil }
        guard let value = Int64(text) else { throw unexpected(column, text, "an integer") }
        return value
    }

    func int64(_ column: Int) throws -> Int64 {
        guard let value = try optionalInt64(column) else { throw unexpected(column, "NULL", "an integer") }
        return value
    }

    func optionalDouble(_ column: Int) throws -> Double? {
        guard let text = optionalText(column) else { return nil }
        guard let value = Double(text) else { throw unexpected(column, text, "a number") }
        return value
    }

    func double(_ column: Int) throws -> Double {
        guard let value = try optionalDouble(column) else { throw unexpected(column, "NULL", "a number") }
        return value
    }

    func bool(_ column: Int) throws -> Bool {
        switch optionalText(column) {
        case "t": return true
        case "f": return false
        case let other: throw unexpected(column, other ?? "NULL", "a boolean")
        }
    }

    private func unexpected(_ column: Int, _ value: String, _ wanted: String) -> PostgreSQLError {
        PostgreSQLError(.unexpectedValue, message: "column \(result.columnName(column)) is \(value.prefix(40)), not \(wanted)")
    }
}
