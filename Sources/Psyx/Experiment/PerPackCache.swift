import FastCGI

/// Values derived from a pack, by pack id. A pack's pairs never change and ids are
/// never reused, so entries derived from them need no invalidation; the cache is only kept small.
/// A value that also depends on the pack's settings (the start answer) is checked against the
/// pack as the store has it now (`isCurrent`): a settings change, which empties the store's pack
/// cache on every responder, makes it again.
final class PerPackCache<Value: Sendable>: Sendable {
    /// Read by every start and submit, written once per pack: readers share the lock.
    private let values = ReadWriteLocked<[Int64: Value]>([:])
    private let limit: Int

    init(limit: Int = 64) {
        self.limit = limit
    }

    func value(for pack: Pack, isCurrent: (Value) -> Bool = { _ in true }, make: (Pack) -> Value) -> Value {
        if let cached = values.withReadLock({ $0[pack.id] }), isCurrent(cached) { return cached }
        let value = make(pack)
        values.withWriteLock { values in
            if values.count >= limit { values.removeAll() }
            values[pack.id] = value
        }
        return value
    }
}
