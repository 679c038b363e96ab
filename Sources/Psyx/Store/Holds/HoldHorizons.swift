import FastCGI

/// What this process last read of each pack's holds: the latest end of any of them, and the pack's
/// `HoldGenerations` counter read before that. While the counter still has that value and the latest
/// end has passed, no hold of the pack is live — a start without a token is answered without a read.
///
/// The latest end is an upper bound: sweeping ended holds, or renewing one for less, never makes it
/// wrong, only a little cautious.
final class HoldHorizons: Sendable {
    private struct Horizon {
        var generation: UInt64
        var latest: Double
    }

    private let packs = ReadWriteLocked([Int64: Horizon]())

    /// The latest end known for the pack at `generation`, nil when unknown or read at another one.
    func latest(packID: Int64, generation: UInt64) -> Double? {
        packs.withReadLock { packs in
            guard let horizon = packs[packID], horizon.generation == generation else { return nil }
            return horizon.latest
        }
    }

    /// After a read: the pack's latest end (0 for none) as of `generation`, read before the query.
    func store(packID: Int64, generation: UInt64, latest: Double) {
        packs.withWriteLock { $0[packID] = Horizon(generation: generation, latest: latest) }
    }

    /// After this process's own claim moved the counter from `old`: still exact if nothing else
    /// moved it since the horizon was read, else left to be read again.
    func advance(packID: Int64, from old: UInt64, until: Double) {
        packs.withWriteLock { packs in
            guard var horizon = packs[packID], horizon.generation == old else { return }
            horizon.generation = old &+ 1
            horizon.latest = max(horizon.latest, until)
            packs[packID] = horizon
        }
    }
}
