/// Transactions on one connection: BEGIN with an isolation level, COMMIT when the body returns,
/// ROLLBACK when it throws. Retrying is the pool's business (`PostgreSQLPool.transaction`): only it
/// can take another connection when this one broke.
extension PostgreSQLConnection {
    enum Isolation: String, Sendable {
        case readCommitted = "READ COMMITTED"
        case repeatableRead = "REPEATABLE READ"
        /// Every transaction behaves as if the transactions ran one at a time; a conflict is a 40001
        /// error, to be retried from the start.
        case serializable = "SERIALIZABLE"
    }

    /// Runs `body` in a transaction. A connection that breaks during COMMIT is reported as
    /// `.commitUnknown` (it may have committed); everything before COMMIT is rolled back by the server.
    /// COMMIT returns only once the transaction is durable (`synchronous_commit` on for it, whatever
    /// the role's or database's default), in the same round trip as BEGIN.
    @discardableResult
    func transaction<T>(_ isolation: Isolation, _ body: (PostgreSQLConnection) throws -> T) throws -> T {
        try executeScript("BEGIN ISOLATION LEVEL \(isolation.rawValue); SET LOCAL synchronous_commit TO on")
        let result: T
        do {
            result = try body(self)
        } catch {
            rollback()
            throw error
        }
        do {
            try execute("COMMIT")
        } catch where error.kind == .connectionLost {
            throw PostgreSQLError(.commitUnknown, sqlState: error.sqlState, message: error.message)
        } catch {
            rollback()
            throw error
        }
        return result
    }

    /// Ends a failed transaction; a broken connection has nothing left to roll back.
    func rollback() {
        guard isOpen, isInTransaction else { return }
        _ = try? execute("ROLLBACK")
    }
}
