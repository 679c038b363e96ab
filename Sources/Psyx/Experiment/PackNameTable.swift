import Foundation

/// A pack's file names keyed by their exact UTF-8 bytes: a submit looks up 600 names, and this
/// needs no `String` per name and hashes a word at a time instead of SipHash. The names come from the
/// pack, not from clients, so a client cannot lengthen the probe chains (open addressing, at most
/// half full).
struct PackNameTable {
    /// Entry numbers by hash slot; -1 for an empty slot.
    private let slots: [Int32]
    private let mask: Int
    /// Entry `i`'s name is `names[starts[i]..<starts[i + 1]]`.
    private let names: [UInt8]
    private let starts: [Int]
    private let entries: [PackFiles.Entry]

    init(_ lookup: [String: PackFiles.Entry]) {
        var capacity = 16
        while capacity < lookup.count * 2 { capacity <<= 1 }
        var slots = [Int32](repeating: -1, count: capacity)
        var names: [UInt8] = []
        var starts: [Int] = []
        var entries: [PackFiles.Entry] = []
        entries.reserveCapacity(lookup.count)
        for (name, entry) in lookup {
            let start = names.count
            names.append(contentsOf: name.utf8)
            var slot = names[start...].withUnsafeBufferPointer { Self.hash($0) } & (capacity - 1)
            while slots[slot] >= 0 { slot = (slot + 1) & (capacity - 1) }
            slots[slot] = Int32(entries.count)
            starts.append(start)
            entries.append(entry)
        }
        starts.append(names.count)
        self.slots = slots
        mask = capacity - 1
        self.names = names
        self.starts = starts
        self.entries = entries
    }

    func entry(named name: UnsafeBufferPointer<UInt8>) -> PackFiles.Entry? {
        var slot = Self.hash(name) & mask
        return names.withUnsafeBufferPointer { names in
            while true {
                let found = Int(slots[slot])
                guard found >= 0 else { return nil }
                let start = starts[found]
                let count = starts[found + 1] - start
                if count == name.count, count == 0 || memcmp(names.baseAddress! + start, name.baseAddress!, count) == 0 {
                    return entries[found]
                }
                slot = (slot + 1) & mask
            }
        }
    }

    /// Eight bytes at a time, each word mixed in by a multiply; the last word is the input's last
    /// eight bytes (overlapping the one before), a shorter input is zero-padded, and the length is
    /// mixed in first so neither can make two names collide by construction.
    private static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        let multiplier: UInt64 = 0x9E37_79B9_7F4A_7C15
        var hash = UInt64(bytes.count) &* multiplier
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
