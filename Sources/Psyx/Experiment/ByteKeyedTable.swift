#if canImport(Glibc)
import Glibc
#endif

/// Values found by the exact bytes of their key, with no `String` and no allocation per lookup:
/// submit looks up 600 file names per reply (`PackFiles`), the CSV download two per row
/// (`CSVNameTable`). Open addressing with linear probing, never more than half full; the keys lie
/// back to back in one array, and the hash takes a word at a time instead of SipHash.
///
/// The hash is not seeded: the keys are a pack's file names or names already stored in its
/// replies, never bytes a request adds to the table on its own.
struct ByteKeyedTable<Value> {
    /// Entry index + 1 by hash slot; 0 for a free slot. The count is a power of two.
    private var slots: [Int32]
    /// Entry `i`'s key is `keys[keyStarts[i]..<keyStarts[i + 1]]`.
    private var keys: [UInt8] = []
    private var keyStarts: [Int] = [0]
    /// By entry index, in insertion order.
    private(set) var values: [Value] = []

    /// A table that holds `minimumCapacity` entries before it first grows.
    init(minimumCapacity: Int = 0) {
        var capacity = 16
        while capacity < minimumCapacity * 2 { capacity *= 2 }
        slots = Array(repeating: 0, count: capacity)
        keyStarts.reserveCapacity(minimumCapacity + 1)
        values.reserveCapacity(minimumCapacity)
    }

    var count: Int { values.count }

    /// The entry index of `key`; nil when no entry has exactly these bytes.
    func index(of key: UnsafeBufferPointer<UInt8>) -> Int? {
        find(key).entry
    }

    /// The value of `key`; nil when no entry has exactly these bytes.
    subscript(key: UnsafeBufferPointer<UInt8>) -> Value? {
        guard let entry = find(key).entry else { return nil }
        return values[entry]
    }

    /// Adds `value` under `key` and returns its entry index. A key already present keeps its
    /// first value: the answer is then that entry's index and nothing changes.
    @discardableResult
    mutating func insert(_ key: UnsafeBufferPointer<UInt8>, _ value: Value) -> Int {
        let (slot, existing) = find(key)
        if let existing { return existing }
        keys.append(contentsOf: key)
        keyStarts.append(keys.count)
        values.append(value)
        slots[slot] = Int32(truncatingIfNeeded: values.count)
        if values.count * 2 > slots.count { grow() }
        return values.count - 1
    }

    /// True when entry `index` has exactly the bytes of `key`: one compare, no hashing. False for
    /// an index that is no entry's.
    func key(_ index: Int, equals key: UnsafeBufferPointer<UInt8>) -> Bool {
        guard values.indices.contains(index) else { return false }
        return keyStarts.withUnsafeBufferPointer { starts in
            keys.withUnsafeBufferPointer { keys in Self.matches(index, key, starts: starts, keys: keys) }
        }
    }

    /// The entry with these bytes, or the free slot where it would go. Inlined into each lookup,
    /// and over the arrays' memory: it is the whole cost of submit's 600 lookups.
    @inline(__always)
    private func find(_ key: UnsafeBufferPointer<UInt8>) -> (slot: Int, entry: Int?) {
        let mask = slots.count - 1
        var slot = Self.hash(key) & mask
        return slots.withUnsafeBufferPointer { slots in
            keyStarts.withUnsafeBufferPointer { starts in
                keys.withUnsafeBufferPointer { keys in
                    while true {
                        let found = Int(slots[slot]) - 1
                        guard found >= 0 else { return (slot, nil) }
                        if Self.matches(found, key, starts: starts, keys: keys) { return (slot, found) }
                        slot = (slot + 1) & mask
                    }
                }
            }
        }
    }

    @inline(__always)
    private static func matches(_ index: Int, _ key: UnsafeBufferPointer<UInt8>, starts: UnsafeBufferPointer<Int>,
                                keys: UnsafeBufferPointer<UInt8>) -> Bool {
        let start = starts[index]
        let count = starts[index + 1] - start
        guard count == key.count else { return false }
        guard count > 0, let stored = keys.baseAddress, let wanted = key.baseAddress else { return true }
        return memcmp(stored + start, wanted, count) == 0
    }

    private mutating func grow() {
        slots = Array(repeating: 0, count: slots.count * 2)
        let mask = slots.count - 1
        keys.withUnsafeBufferPointer { keys in
            for index in values.indices {
                let key = UnsafeBufferPointer(rebasing: keys[keyStarts[index]..<keyStarts[index + 1]])
                var slot = Self.hash(key) & mask
                while slots[slot] != 0 { slot = (slot + 1) & mask }
                slots[slot] = Int32(truncatingIfNeeded: index + 1)
            }
        }
    }

    /// Eight bytes at a time, each word mixed in by a multiply; the last word is the key's last
    /// eight bytes (overlapping the one before), a shorter key is zero-padded, and the length is
    /// mixed in first so neither makes two keys collide by construction.
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        let multiplier: UInt64 = 0x9E37_79B9_7F4A_7C15
        var hash = UInt64(truncatingIfNeeded: bytes.count) &* multiplier
        guard let base = UnsafeRawPointer(bytes.baseAddress) else { return Int(truncatingIfNeeded: hash) }
        var last: UInt64 = 0
        if bytes.count >= 8 {
            var offset = 0
            while offset + 8 < bytes.count {
                hash = (hash ^ base.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) &* multiplier
                hash ^= hash >> 29
                offset += 8
            }
            last = base.loadUnaligned(fromByteOffset: bytes.count - 8, as: UInt64.self)
        } else {
            for offset in 0..<bytes.count { last |= UInt64(base.load(fromByteOffset: offset, as: UInt8.self)) << (8 * offset) }
        }
        hash = (hash ^ last) &* multiplier
        return Int(truncatingIfNeeded: hash ^ (hash >> 32))
    }
}

extension ByteKeyedTable: Sendable where Value: Sendable {}
