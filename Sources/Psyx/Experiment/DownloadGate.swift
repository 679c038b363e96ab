import Dispatch
import Foundation

/// Lets at most `limit` downloads stream at once; the others wait their turn, each holding its
/// Nginx connection. A streaming download holds a SQLite reader with its page cache, two output
/// buffers and a busy thread: past a few per core, more streams add memory, not throughput.
final class DownloadGate: Sendable {
    let limit: Int
    private let slots: DispatchSemaphore

    init(limit: Int) {
        self.limit = max(1, limit)
        slots = DispatchSemaphore(value: self.limit)
    }

    /// Two streams per core keep the cores busy while one waits on its socket.
    static var defaultLimit: Int {
        min(8, max(2, 2 * ProcessInfo.processInfo.activeProcessorCount))
    }

    /// Runs `body` once a slot is free, and frees the slot however `body` ends.
    func run<T>(_ body: () throws -> T) rethrows -> T {
        slots.wait()
        defer { slots.signal() }
        return try body()
    }
}
