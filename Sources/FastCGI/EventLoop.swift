import CLinux
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One thread serving many connections. epoll says which connections have
/// bytes, a read then never blocks, and a request the responder answers inline
/// is answered right here: under load one wake-up serves many requests, where a
/// thread per connection paid a thread switch for each.
///
/// A request that may wait (a disk sync, an upload) sends its connection to a
/// worker thread, out of epoll, and the worker gives it back once the answer is
/// written. Only the loop's thread touches `connections`; others reach it
/// through the inbox and the wake-up eventfd.
final class EventLoop: @unchecked Sendable {
    private struct Inbox {
        var arrivals: [Connection] = []
        /// Set when the loop has ended: late arrivals are closed by whoever brings them.
        var ended = false
    }

    private let context: ServerContext
    private let epoll: Int32
    private let wakeFD: Int32
    private let inbox = Locked(Inbox())
    private var connections: [Int32: Connection] = [:]
    private var buffer = [UInt8](repeating: 0, count: 64 * 1024)
    /// How often idle and stalled connections are looked for.
    private let sweepInterval: Double
    private var nextSweep = 0.0

    init(context: ServerContext) throws {
        self.context = context
        epoll = epoll_create1(Int32(EPOLL_CLOEXEC))
        wakeFD = eventfd(0, Int32(EFD_CLOEXEC | EFD_NONBLOCK))
        guard epoll >= 0, wakeFD >= 0 else {
            let code = errno
            if epoll >= 0 { Glibc.close(epoll) }
            if wakeFD >= 0 { Glibc.close(wakeFD) }
            throw ListenerError.system("epoll", code)
        }
        let configuration = context.configuration
        sweepInterval = min(1, max(0.01, min(configuration.idleTimeout, configuration.requestReadTimeout) / 4))
        guard watch(wakeFD, token: UInt64(UInt32.max)) else {
            let code = errno
            Glibc.close(epoll)
            Glibc.close(wakeFD)
            throw ListenerError.system("epoll_ctl", code)
        }
    }

    deinit {
        // Closed only here, so a late `wake()` never writes into a reused descriptor number.
        Glibc.close(epoll)
        Glibc.close(wakeFD)
    }

    /// The name of every event loop thread.
    static let threadName = "fcgi-loop"

    /// Starts the loop's thread.
    func start() {
        let thread = Thread { [self] in
            // Named for `top -H`, `perf` and the tests that tell loop from worker.
            Thread.current.name = Self.threadName
            run()
        }
        thread.stackSize = 4 << 20
        thread.start()
    }

    /// Takes a connection: a new one from the listener, or one a worker gives back.
    /// After the loop has ended the connection is closed here instead.
    func adopt(_ connection: Connection) {
        let accepted = inbox.withLock { inbox -> Bool in
            guard !inbox.ended else { return false }
            inbox.arrivals.append(connection)
            return true
        }
        if accepted { wake() } else { finish(connection) }
    }

    /// Makes the loop look at its inbox and at the stopping flag.
    func wake() {
        var one: UInt64 = 1
        _ = write(wakeFD, &one, 8)
    }

    private func run() {
        var events = [epoll_event](repeating: epoll_event(), count: 64)
        while true {
            let timeout = Int32((sweepInterval * 1000).rounded(.up))
            let count = epoll_wait(epoll, &events, Int32(events.count), timeout)
            let now = Self.monotonicSeconds()
            if count > 0 {
                for index in 0..<Int(count) {
                    let token = events[index].data.u64
                    if token == UInt64(UInt32.max) {
                        drainWakeUps(now: now)
                    } else if let connection = connections[Int32(truncatingIfNeeded: token)] {
                        serve(connection, now: now)
                    }
                }
            }
            if now >= nextSweep {
                sweep(now: now)
                nextSweep = now + sweepInterval
            }
            if context.isStopping && closeIdleAndCheckEnded() { return }
        }
    }

    /// Reads once, without waiting (an event may be stale), and handles every complete record.
    private func serve(_ connection: Connection, now: Double) {
        let n = buffer.withUnsafeMutableBytes { FileDescriptorIO.receiveWithoutWaiting(connection.fd, into: $0) }
        guard n > 0 else {
            if n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) { return }
            remove(connection)
            finish(connection)
            return
        }
        connection.lastActivity = now
        let step = buffer.withUnsafeBytes { connection.receive(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
        switch step {
        case .waitForBytes:
            return
        case .close:
            remove(connection)
            finish(connection)
        case .handOff:
            remove(connection)
            handOff(connection)
        }
    }

    /// A worker serves the request to its end with blocking reads, then gives the connection back.
    private func handOff(_ connection: Connection) {
        context.workers.submit { [self] in
            var buffer = [UInt8](repeating: 0, count: 64 * 1024)
            let keep = buffer.withUnsafeMutableBytes { connection.serveHandedOffRequest(buffer: $0) }
            if keep && !context.isStopping {
                adopt(connection)
            } else {
                finish(connection)
            }
        }
    }

    private func drainWakeUps(now: Double) {
        var count: UInt64 = 0
        _ = read(wakeFD, &count, 8)
        let arrivals = inbox.withLock { inbox -> [Connection] in
            defer { inbox.arrivals.removeAll() }
            return inbox.arrivals
        }
        for connection in arrivals {
            connection.lastActivity = now
            if context.isStopping && connection.isIdle {
                finish(connection)
            } else if watch(connection.fd, token: UInt64(UInt32(bitPattern: connection.fd))) {
                connections[connection.fd] = connection
            } else {
                finish(connection)
            }
        }
    }

    /// Closes connections idle past the idle timeout and those stalled mid-request past the read timeout.
    private func sweep(now: Double) {
        let configuration = context.configuration
        for connection in connections.values {
            let limit = connection.isIdle ? configuration.idleTimeout : configuration.requestReadTimeout
            if now - connection.lastActivity >= limit {
                remove(connection)
                finish(connection)
            }
        }
    }

    /// While stopping: idle connections close now, busy ones after their answer. True once none
    /// is left, the inbox is shut and the loop may end.
    private func closeIdleAndCheckEnded() -> Bool {
        for connection in connections.values where connection.isIdle {
            remove(connection)
            finish(connection)
        }
        guard connections.isEmpty else { return false }
        let late = inbox.withLock { inbox -> [Connection] in
            inbox.ended = true
            defer { inbox.arrivals.removeAll() }
            return inbox.arrivals
        }
        late.forEach(finish)
        return true
    }

    private func watch(_ fd: Int32, token: UInt64) -> Bool {
        var event = epoll_event()
        event.events = EPOLLIN.rawValue
        event.data.u64 = token
        return epoll_ctl(epoll, EPOLL_CTL_ADD, fd, &event) == 0
    }

    private func remove(_ connection: Connection) {
        connections[connection.fd] = nil
        _ = epoll_ctl(epoll, EPOLL_CTL_DEL, connection.fd, nil)
    }

    private func finish(_ connection: Connection) {
        connection.close()
        context.counters.close()
    }

    /// Seconds on the coarse monotonic clock (a few ms fine), without a system call.
    static func monotonicSeconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC_COARSE, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1_000_000_000
    }
}
