/// How PostgreSQL's errors reach the rest of Psyx: a server that cannot be reached is `unavailable`
/// (a 503 that clients retry), a COMMIT whose outcome is unknown is `outcomeUnknown`, anything else
/// `failure` (a 500). The message goes to the log only.
extension PostgreSQLError {
    var storeError: StoreError {
        if kind == .commitUnknown { return .outcomeUnknown(description) }
        if kind == .connectFailed || isConnectionLost { return .unavailable(description) }
        return .failure(description)
    }

    /// Runs `body`, turning a `PostgreSQLError` into its `storeError`; other errors pass unchanged.
    static func mappingToStore<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as PostgreSQLError {
            throw error.storeError
        }
    }
}
