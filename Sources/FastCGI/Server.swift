import Dispatch
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Accepts FastCGI connections and serves each on its own thread.
///
/// Blocking I/O on one thread per connection keeps every request a plain call
/// chain; Nginx's keep-alive pool means a handful of long-lived connections
/// carry the traffic. Over `maxConnections` a connection is answered 503 at once.
public final class Server: Sendable {
    public let configuration: ServerConfiguration
    public let counters: ConnectionCounters
    private let responder: any Responder
    private let listener: Listener
    private let idle = Mutex<IdleConnections>(IdleConnections())
    private let threads: ConnectionThreads

    struct IdleConnections {
        var fds: Set<Int32> = []
        var stopping = false
    }

    /// Opens the listening socket right away, so a bad address fails at start-up.
    public init(configuration: ServerConfiguration, responder: any Responder, counters: ConnectionCounters = ConnectionCounters()) throws {
        self.configuration = configuration
        self.responder = responder
        self.counters = counters
        listener = try Listener(configuration.listen)
        threads = ConnectionThreads()
        signal(SIGPIPE, SIG_IGN)
    }

    /// Serves until `stop()`, then waits for requests in flight to finish.
    public func run() {
        while let fd = listener.accept() {
            counters.noteAccepted()
            if isStopping {
                close(fd)
                continue
            }
            if counters.tryOpen(limit: configuration.maxConnections) {
                startConnection(fd)
            } else {
                counters.noteRejected()
                DispatchQueue.global().async { [self] in OverloadReply.send(on: fd, responder: responder) }
            }
        }
        listener.close()
        while counters.open > 0 { usleep(10_000) }
    }

    /// Stops accepting; idle connections close now, busy ones after their response.
    public func stop() {
        let fds = idle.withLock { state -> Set<Int32> in
            state.stopping = true
            return state.fds
        }
        for fd in fds { _ = shutdown(fd, Int32(SHUT_RDWR)) }
        listener.shutdown()
    }

    var isStopping: Bool { idle.withLock { $0.stopping } }

    private func startConnection(_ fd: Int32) {
        threads.submit { [self] in serveConnection(fd) }
    }

    private func serveConnection(_ fd: Int32) {
        Connection(fd: fd, server: self, responder: responder).run()
        markBusy(fd)
        close(fd)
        counters.close()
    }

    /// A connection waiting for its next request; `stop()` may close it. False when stopping.
    func markIdle(_ fd: Int32) -> Bool {
        idle.withLock { state in
            if state.stopping { return false }
            state.fds.insert(fd)
            return true
        }
    }

    /// A connection is working on a request (or closing): `stop()` leaves it alone.
    func markBusy(_ fd: Int32) {
        _ = idle.withLock { $0.fds.remove(fd) }
    }
}
