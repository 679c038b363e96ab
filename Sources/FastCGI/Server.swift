import Dispatch
import Foundation
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
    private let registry = ConnectionRegistry()
    private let threads: ConnectionThreads

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
        registry.stopAll()
        listener.shutdown()
    }

    var isStopping: Bool { registry.isStopping }

    private func startConnection(_ fd: Int32) {
        threads.submit { [self] in serveConnection(fd) }
    }

    private func serveConnection(_ fd: Int32) {
        serve(fd)
        counters.close()
    }

    /// Serves one connection on this thread until it ends, then closes it.
    func serve(_ fd: Int32) {
        let entry = registry.register(fd)
        Connection(fd: fd, server: self, responder: responder, entry: entry).run()
        entry.markBusy()
        // Unregistered before closing, so `stop()` never shuts a number reused by a newer socket.
        registry.unregister(entry)
        close(fd)
    }
}
