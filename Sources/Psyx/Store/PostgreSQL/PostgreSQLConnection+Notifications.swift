import CPostgreSQL
import Glibc

/// LISTEN/NOTIFY on one connection: the server pushes a notification to every listening session when
/// a transaction that sent it commits (never before, never for one that rolled back).
extension PostgreSQLConnection {
    /// Starts listening on `channel` (a plain identifier).
    func listen(_ channel: String) throws(PostgreSQLError) {
        try execute("LISTEN \(channel)")
    }

    /// The payloads received, waiting up to `milliseconds` for the first; empty when none came.
    /// A connection that broke (server gone, backend terminated) throws `.connectionLost`.
    func notifications(waitingMilliseconds milliseconds: Int32) throws(PostgreSQLError) -> [String] {
        var payloads = pendingNotifications()
        guard payloads.isEmpty else { return payloads }
        let socket = PQsocket(handle)
        guard socket >= 0, isOpen else { throw lost("the listening connection is closed") }
        var waiting = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
        let ready = poll(&waiting, 1, milliseconds)
        guard ready > 0 else { return [] }
        guard PQconsumeInput(handle) == 1, isOpen else { throw lost(errorMessage) }
        payloads = pendingNotifications()
        return payloads
    }

    /// Notifications libpq has already read, freed as they are taken.
    private func pendingNotifications() -> [String] {
        var payloads: [String] = []
        while let notification = PQnotifies(handle) {
            payloads.append(String(cString: notification.pointee.extra))
            PQfreemem(notification)
        }
        return payloads
    }

    private func lost(_ message: String) -> PostgreSQLError {
        PostgreSQLError(.connectionLost, message: message)
    }
}
