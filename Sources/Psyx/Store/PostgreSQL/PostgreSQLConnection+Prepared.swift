import CPostgreSQL

/// Statements prepared once per session and then only executed: PostgreSQL plans an unnamed
/// statement again on every execution, which for the reply insert (a CTE with an INSERT) cost more
/// than running it (~2 ms against ~0.25 ms). Queries and data changes are prepared on first use,
/// up to `maxPrepared` texts per session; anything else (BEGIN, LOCK, DECLARE, FETCH, SET, LISTEN)
/// and texts beyond the bound run unnamed. Prepared statements outlive a rolled-back transaction;
/// a reopened session starts without them.
extension PostgreSQLConnection {
    static let maxPrepared = 64
    static let preparedKinds = ["SELECT", "INSERT", "UPDATE", "DELETE", "WITH"]

    /// The prepared statement's name for `sql`, preparing it now if needed; nil: run it unnamed.
    func preparedName(for sql: String) throws(PostgreSQLError) -> String? {
        if let name = prepared[sql] { return name }
        let head = sql.drop { $0 == " " || $0 == "\n" }.prefix(6).uppercased()
        guard prepared.count < Self.maxPrepared, Self.preparedKinds.contains(where: { head.hasPrefix($0) }) else {
            return nil
        }
        let name = "psyx_\(prepared.count + 1)"
        guard let result = PQprepare(handle, name, sql, 0, nil) else {
            throw PostgreSQLError(isOpen ? .server : .connectionLost, message: errorMessage)
        }
        let status = PQresultStatus(result)
        PQclear(result)
        guard status == PGRES_COMMAND_OK else { return nil }  // run unnamed: the error is reported from there
        prepared[sql] = name
        return name
    }
}
