import Dispatch
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Accepts FastCGI connections and serves them from a few event loops.
///
/// Nginx keeps a pool of upstream connections open; each loop watches its share
/// with epoll and answers quick requests on its own thread, handing a request
/// that may wait to a worker thread (see `EventLoop`). Over `maxConnections` a
/// connection is answered 503 at once.
public final class Server: Sendable {
    public let configuration: ServerConfiguration
    public let counters: ConnectionCounters
    private let context: ServerContext
    private let listener: Listener
    private let loops: [EventLoop]
    private let nextLoop = Locked(0)

    /// Opens the listening socket and starts the event loops right away, so a bad
    /// address fails at start-up.
    public init(configuration: ServerConfiguration, responder: any Responder, counters: ConnectionCounters = ConnectionCounters()) throws {
        self.configuration = configuration
        self.counters = counters
        let context = ServerContext(configuration: configuration, responder: responder, counters: counters)
        self.context = context
        listener = try Listener(configuration.listen)
        loops = try (0..<configuration.eventLoops).map { _ in try EventLoop(context: context) }
        signal(SIGPIPE, SIG_IGN)
        loops.forEach { $0.start() }
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
                adopt(fd)
            } else {
                counters.noteRejected()
                DispatchQueue.global().async { [context] in OverloadReply.send(on: fd, responder: context.responder) }
            }
        }
        listener.close()
        while counters.open > 0 { usleep(10_000) }
    }

    /// Stops accepting; idle connections close now, busy ones after their response.
    public func stop() {
        context.markStopping()
        listener.shutdown()
        loops.forEach { $0.wake() }
    }

    var isStopping: Bool { context.isStopping }

    /// Serves an accepted connection (whose slot in `counters` is taken) on the next loop.
    /// `onClose` runs once it is closed.
    func adopt(_ fd: Int32, onClose: (@Sendable () -> Void)? = nil) {
        let index = nextLoop.withLock { next -> Int in
            defer { next = (next + 1) % loops.count }
            return next
        }
        loops[index].adopt(Connection(fd: fd, context: context, onClose: onClose))
    }
}
