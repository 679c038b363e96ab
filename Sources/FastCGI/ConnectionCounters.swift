import Synchronization

/// Live connection figures, shared with the application (for /api/health and tests of keep-alive reuse).
public final class ConnectionCounters: Sendable {
    private let acceptedCount = Atomic<Int>(0)
    private let openCount = Atomic<Int>(0)
    private let rejectedCount = Atomic<Int>(0)

    public init() {}

    /// Connections accepted since start (rejected ones included).
    public var accepted: Int { acceptedCount.load(ordering: .relaxed) }
    /// Connections being served now.
    public var open: Int { openCount.load(ordering: .relaxed) }
    /// Connections answered 503 because the cap was reached.
    public var rejected: Int { rejectedCount.load(ordering: .relaxed) }

    func noteAccepted() { acceptedCount.add(1, ordering: .relaxed) }
    func noteRejected() { rejectedCount.add(1, ordering: .relaxed) }

    /// Takes a slot if fewer than `limit` are open.
    func tryOpen(limit: Int) -> Bool {
        var current = openCount.load(ordering: .relaxed)
        while current < limit {
            let (exchanged, original) = openCount.compareExchange(expected: current, desired: current + 1, ordering: .acquiringAndReleasing)
            if exchanged { return true }
            current = original
        }
        return false
    }

    func close() { openCount.subtract(1, ordering: .acquiringAndReleasing) }
}
