import FastCGI

/// Decoded packs kept in memory, so `start` does not read hundreds of pair rows per participant.
///
/// Coherence: every pack write bumps `generation` after its commit; a reader notes the generation
/// before it reads the database and stores what it read only if no write committed meanwhile, so a
/// pack deleted or created during the read is never cached stale.
final class PackCache: Sendable {
    private struct State {
        var packs: [Int64: Pack] = [:]
        var generation: UInt64 = 0
    }

    private let state = Locked(State())
    private let capacity: Int

    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    func pack(id: Int64) -> Pack? {
        state.withLock { $0.packs[id] }
    }

    var generation: UInt64 {
        state.withLock { $0.generation }
    }

    /// Keeps `pack` if nothing was written since `generation` was read.
    func store(_ pack: Pack, readAt generation: UInt64) {
        state.withLock { state in
            guard state.generation == generation else { return }
            if state.packs.count >= capacity {
                state.packs.removeAll(keepingCapacity: true)
            }
            state.packs[pack.id] = pack
        }
    }

    /// Forgets everything; called after any pack write has committed (or failed).
    func invalidate() {
        state.withLock { state in
            state.packs.removeAll(keepingCapacity: true)
            state.generation &+= 1
        }
    }
}
