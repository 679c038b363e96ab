import Dispatch
import Foundation

/// The worker threads that serve the requests an event loop hands off (those
/// that may wait: disk syncs, uploads, downloads), kept for reuse so a hand-off
/// costs a queue push, not a thread start. A thread idle for `idleSeconds` ends.
final class ConnectionThreads: Sendable {
    private struct State {
        var queue: [@Sendable () -> Void] = []
        var idle = 0
    }

    private let state = Locked(State())
    private let wakeUp = DispatchSemaphore(value: 0)
    private let idleSeconds: Double

    /// The name of every worker thread.
    static let threadName = "fcgi-worker"

    init(idleSeconds: Double = 30) {
        self.idleSeconds = idleSeconds
    }

    /// Runs `job` (serving one handed-off request) on an idle thread, or on a new one.
    func submit(_ job: @escaping @Sendable () -> Void) {
        let wakeIdle = state.withLock { state -> Bool in
            state.queue.append(job)
            guard state.idle > 0 else { return false }
            state.idle -= 1
            return true
        }
        if wakeIdle {
            wakeUp.signal()
        } else {
            let thread = Thread { [self] in
                Thread.current.name = Self.threadName
                work()
            }
            thread.stackSize = 4 << 20
            thread.start()
        }
    }

    private func work() {
        while true {
            while let job = state.withLock({ $0.queue.isEmpty ? nil : $0.queue.removeFirst() }) {
                job()
            }
            state.withLock { $0.idle += 1 }
            if wakeUp.wait(timeout: .now() + idleSeconds) == .timedOut {
                // Leave unless a submit already counted on this thread (its signal is then pending).
                let leave = state.withLock { state -> Bool in
                    guard state.idle > 0 else { return false }
                    state.idle -= 1
                    return true
                }
                if leave { return }
                wakeUp.wait()
            }
        }
    }
}
