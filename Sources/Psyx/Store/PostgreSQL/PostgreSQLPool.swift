import Dispatch
import FastCGI
import Glibc

/// Up to `maxConnections` libpq connections shared by many threads, each used by one caller at a
/// time. Connections open when first needed and stay open; a connection that broke is reopened when
/// it is next handed out, so service resumes by itself when the server comes back.
///
/// `transaction` retries the whole transaction on another attempt when the server says it must
/// (serialization failure, deadlock) or when the connection was lost before COMMIT was sent — the
/// server then rolled it back, so running it again cannot apply it twice. A connection lost during
/// COMMIT is reported, never retried. Not reentrant: `body` must not call the same pool again.
final class PostgreSQLPool: Sendable {
    let info: PostgreSQLConnectionInfo
    let maxConnections: Int
    private let idle: Locked<[PostgreSQLConnection]>
    private let permits: DispatchSemaphore

    /// Attempts of a transaction that keeps hitting serialization failures before the error is reported.
    static let maxConflictAttempts = 40
    /// Attempts after a lost connection (each on a reopened connection).
    static let maxReconnectAttempts = 2

    /// This pool's sessions carry it as `psyx.origin`; the schema's notifications name it, so a
    /// responder tells its own commits from other writers' (`PostgreSQLChangeFeed`).
    let origin: String

    /// Opens one connection at once, so a wrong setting or an unreachable server is reported at start.
    init(_ info: PostgreSQLConnectionInfo, maxConnections: Int = 8) throws(PostgreSQLError) {
        self.info = info
        self.maxConnections = max(1, maxConnections)
        origin = String((0..<12).map { _ in "0123456789abcdef".randomElement()! })
        idle = Locked([try PostgreSQLConnection(info, settings: [("psyx.origin", origin)])])
        permits = DispatchSemaphore(value: self.maxConnections)
    }

    /// Runs `body` with a connection of its own, waiting while all `maxConnections` are in use.
    func withConnection<T>(_ body: (PostgreSQLConnection) throws -> T) throws -> T {
        permits.wait()
        defer { permits.signal() }
        let connection = try idle.withLock { $0.popLast() } ?? PostgreSQLConnection(info, settings: [("psyx.origin", origin)])
        defer {
            // A connection left inside a transaction (a bug, or a failed ROLLBACK) is not reused.
            if !connection.isInTransaction { idle.withLock { $0.append(connection) } }
        }
        try connection.reopenIfBroken()
        return try body(connection)
    }

    /// Statements outside an explicit transaction (each its own snapshot): for reads, which may run
    /// twice, so they are repeated once on a reopened connection when the first one had broken.
    @discardableResult
    func read<T>(_ body: (PostgreSQLConnection) throws -> T) throws -> T {
        try retrying(conflicts: false) { try withConnection(body) }
    }

    /// `body` in one transaction, retried from the start as described above; `retryingConflicts`
    /// defaults to true for SERIALIZABLE, whose conflicts are expected and harmless to repeat.
    @discardableResult
    func transaction<T>(_ isolation: PostgreSQLConnection.Isolation = .readCommitted, retryingConflicts: Bool? = nil,
                        _ body: (PostgreSQLConnection) throws -> T) throws -> T {
        try retrying(conflicts: retryingConflicts ?? (isolation == .serializable)) {
            try withConnection { connection in try connection.transaction(isolation, body) }
        }
    }

    private func retrying<T>(conflicts: Bool, _ attempt: () throws -> T) throws -> T {
        var conflictAttempts = 0
        var reconnectAttempts = 0
        while true {
            do {
                return try attempt()
            } catch let error as PostgreSQLError {
                if conflicts && error.isSerializationFailure && conflictAttempts + 1 < Self.maxConflictAttempts {
                    conflictAttempts += 1
                    Self.backOff(conflictAttempts)
                } else if error.isConnectionLost && error.kind != .commitUnknown
                            && reconnectAttempts < Self.maxReconnectAttempts {
                    reconnectAttempts += 1
                } else {
                    throw error
                }
            }
        }
    }

    /// A short random pause that grows with the attempts, so conflicting transactions stop colliding.
    private static func backOff(_ attempt: Int) {
        let ceiling = min(50_000, 500 * (1 << min(attempt, 7)))
        usleep(UInt32.random(in: 100...UInt32(ceiling)))
    }

    /// Connections open now, idle or in use (for tests).
    var idleCount: Int { idle.withLock { $0.count } }
}
