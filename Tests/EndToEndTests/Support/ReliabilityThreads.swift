import Foundation
import Synchronization

/// Real concurrency for clients that block on sockets: one thread each, all
/// released at the same moment (the machine has two cores, so Dispatch's pool
/// alone would not run fifty blocking clients at once).
enum ReliabilityThreads {
    /// Runs `body(index)` for every index on its own thread and returns the results in index order.
    static func run<T: Sendable>(_ count: Int, _ body: @escaping @Sendable (Int) -> T) -> [T] {
        let results = Results<T>()
        let group = DispatchGroup()
        let gate = DispatchSemaphore(value: 0)
        for index in 0..<count {
            group.enter()
            let thread = Thread {
                gate.wait()
                let result = body(index)
                results.values.withLock { $0[index] = result }
                group.leave()
            }
            thread.stackSize = 1 << 20
            thread.start()
        }
        for _ in 0..<count { gate.signal() }
        group.wait()
        return results.values.withLock { collected in (0..<count).compactMap { collected[$0] } }
    }

    private final class Results<T: Sendable>: Sendable {
        let values = Mutex<[Int: T]>([:])
    }

    /// Runs `body` on a thread of its own; `wait()` returns its result.
    final class Background<T: Sendable>: Sendable {
        private let result = Mutex<T?>(nil)
        private let done = DispatchSemaphore(value: 0)

        init(_ body: @escaping @Sendable () -> T) {
            let thread = Thread { [self] in
                let value = body()
                result.withLock { $0 = value }
                done.signal()
            }
            thread.start()
        }

        /// The result, or nil when the body has not finished within `seconds`.
        func wait(seconds: Double = 300) -> T? {
            guard done.wait(timeout: .now() + seconds) == .success else { return nil }
            done.signal()
            return result.withLock { $0 }
        }
    }
}
