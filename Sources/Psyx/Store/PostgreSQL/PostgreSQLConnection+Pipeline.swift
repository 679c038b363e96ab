import CPostgreSQL
import Glibc

/// Several statements sent at once and their results read afterwards (libpq's pipeline mode): one
/// round trip for a whole batch instead of one per statement. On a busy machine each round trip
/// waits for two wake-ups, which cost group commit more than the statements themselves.
extension PostgreSQLConnection {
    /// Runs `statements` (prepared on first use) in one pipeline and returns their results in order.
    /// The first failure is thrown; PostgreSQL skips the statements after it, and inside a
    /// transaction the transaction is then failed, as with one statement at a time.
    func pipeline(_ statements: [(sql: String, parameters: [any PostgreSQLParameter])]) throws(PostgreSQLError) -> [PostgreSQLResult] {
        var sent: [(name: String, texts: [String?])] = []
        for statement in statements {
            let texts = try Self.texts(of: statement.parameters)
            guard let name = try preparedName(for: statement.sql) else {
                throw PostgreSQLError(.unexpectedValue, message: "a pipelined statement could not be prepared: \(statement.sql.prefix(60))")
            }
            sent.append((name, texts))
        }
        guard PQenterPipelineMode(handle) == 1 else { throw failure() }
        defer { PQexitPipelineMode(handle) }
        try send(sent)
        var results: [PostgreSQLResult] = []
        var firstError: PostgreSQLError?
        for _ in sent {
            let result = PQgetResult(handle)
            do {
                let checkedResult = try checked(result)
                results.append(checkedResult)
            } catch {
                if firstError == nil { firstError = error }
            }
            while let extra = PQgetResult(handle) { PQclear(extra) }  // the NULL that ends each statement
        }
        // The sync point's own result; then the connection leaves pipeline mode idle.
        if let sync = PQgetResult(handle) { PQclear(sync) }
        if let firstError { throw firstError }
        return results
    }

    /// Queues every statement and the sync point, then writes them out without blocking while the
    /// server answers (reading its answers meanwhile, so neither side waits on a full buffer).
    private func send(_ statements: [(name: String, texts: [String?])]) throws(PostgreSQLError) {
        guard PQsetnonblocking(handle, 1) == 0 else { throw failure() }
        defer { PQsetnonblocking(handle, 0) }
        for statement in statements {
            let queued = Self.withCStrings(statement.texts) { values in
                PQsendQueryPrepared(handle, statement.name, Int32(statement.texts.count), values, nil, nil, 0)
            }
            guard queued == 1 else { throw failure() }
        }
        guard PQpipelineSync(handle) == 1 else { throw failure() }
        while true {
            let flushed = PQflush(handle)
            if flushed == 0 { return }
            guard flushed == 1 else { throw failure() }
            var waiting = pollfd(fd: PQsocket(handle), events: Int16(POLLIN | POLLOUT), revents: 0)
            guard poll(&waiting, 1, 30_000) > 0 else { throw failure() }
            if waiting.revents & Int16(POLLIN) != 0 && PQconsumeInput(handle) != 1 { throw failure() }
        }
    }

    private func failure() -> PostgreSQLError {
        PostgreSQLError(isOpen ? .server : .connectionLost, message: errorMessage)
    }
}
