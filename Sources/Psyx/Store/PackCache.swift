import FastCGI

/// Decoded packs kept in memory, so `start` does not read hundreds of pair rows per participant,
/// and which pack each (sex, age) gets, so it does not query the packs table either.
///
/// Coherence: every pack write bumps `generation` after its commit; a reader notes the generation
/// before it reads the database and stores what it read only if no write committed meanwhile, so a
/// pack deleted or created during the read is never cached stale.
final class PackCache: Sendable {
    private struct Condition: Hashable {
        var sex: Int
        var age: Int
    }

    private struct State {
        var packs: [Int64: Pack] = [:]
        /// A participant's (sex, age) → the pack `start` gives them, nil when none fits.
        var suitable: [Condition: Int64?] = [:]
        /// A pack name → its id, nil when no pack has it (start with `"pack"`, the public view).
        var named: [String: Int64?] = [:]
        var generation: UInt64 = 0
    }

    /// Read by every start and submit, written only around pack writes: readers share the lock.
    private let state = ReadWriteLocked(State())
    private let capacity: Int

    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    func pack(id: Int64) -> Pack? {
        state.withReadLock { $0.packs[id] }
    }

    var generation: UInt64 {
        state.withReadLock { $0.generation }
    }

    /// Keeps `pack` if nothing was written since `generation` was read.
    func store(_ pack: Pack, readAt generation: UInt64) {
        state.withWriteLock { state in
            guard state.generation == generation else { return }
            if state.packs.count >= capacity {
                state.packs.removeAll(keepingCapacity: true)
            }
            state.packs[pack.id] = pack
        }
    }

    /// The cached choice for a participant: `.some(nil)` when it is known that no pack fits.
    func suitablePackID(sex: Int, age: Int) -> Int64?? {
        state.withReadLock { $0.suitable[Condition(sex: sex, age: age)] }
    }

    /// Keeps the choice read from the database if nothing was written since `generation` was read.
    func storeSuitable(_ id: Int64?, sex: Int, age: Int, readAt generation: UInt64) {
        state.withWriteLock { state in
            guard state.generation == generation else { return }
            if state.suitable.count >= 4096 {
                state.suitable.removeAll(keepingCapacity: true)
            }
            state.suitable[Condition(sex: sex, age: age)] = .some(id)
        }
    }

    /// The cached id of the pack named `name`: `.some(nil)` when it is known that none has it.
    func packID(named name: String) -> Int64?? {
        state.withReadLock { $0.named[name] }
    }

    /// Keeps a name's pack id read from the database if nothing was written since `generation` was read.
    func storeNamed(_ id: Int64?, name: String, readAt generation: UInt64) {
        state.withWriteLock { state in
            guard state.generation == generation else { return }
            if state.named.count >= 4096 {
                state.named.removeAll(keepingCapacity: true)
            }
            state.named[name] = .some(id)
        }
    }

    /// Forgets everything; called after any pack write has committed (or failed).
    func invalidate() {
        state.withWriteLock { state in
            state.packs.removeAll(keepingCapacity: true)
            state.suitable.removeAll(keepingCapacity: true)
            state.named.removeAll(keepingCapacity: true)
            state.generation &+= 1
        }
    }
}
