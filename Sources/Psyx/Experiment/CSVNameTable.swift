#if canImport(Glibc)
import Glibc
#endif

/// One download's file names, found by their stored UTF-8 bytes, each with what a CSV row writes
/// for it worked out once: two hash probes per row instead of `String`s and dictionary lookups.
///
/// A name seen for the first time is decoded and resolved with `PackFiles` and `CSVField`, as the
/// parsing path does, so both paths write the same bytes by construction. A table made for a pack
/// (`init(files:)`, cached per pack by the routes) already holds every file name of it.
struct CSVNameTable: Sendable {
    /// What a row writes for a name.
    struct Pieces {
        /// Its cell in `left`, `right` and `chosen`.
        var cell: String
        /// Its pair number, as `stimulus` when it is the left file; empty when not a file of the pack.
        var stimulus: String
        /// `1` (ori) or `-1` (inv), as `response` when it is the chosen file; empty when unknown.
        var response: String
    }

    /// Ranges into `keys` (the name's stored bytes) and `pieces`.
    struct Entry {
        var key: Range<Int>
        var cell: Range<Int>
        var stimulus: Range<Int>
        var response: Range<Int>
    }

    private(set) var keys: [UInt8] = []
    private(set) var pieces: [UInt8] = []
    private(set) var entries: [Entry] = []
    /// Open addressing: entry index + 1, 0 for a free slot; never more than half full.
    private var slots: [Int32]
    let files: PackFiles

    /// The empty name (`chosen` when no key was pressed) and every file of the pack.
    init(files: PackFiles) {
        self.files = files
        let expected = files.lookup.count + 1
        var capacity = 16
        while capacity < expected * 2 { capacity *= 2 }
        slots = Array(repeating: 0, count: capacity)
        keys.reserveCapacity(expected * 24)
        pieces.reserveCapacity(expected * 32)
        entries.reserveCapacity(expected)
        for var name in [""] + files.lookup.keys.sorted() {
            _ = name.withUTF8 { entry(for: $0) }
        }
    }

    /// What a row writes for `name`, as `ReplyExport.appendParsedRows` works it out.
    static func pieces(for name: String, in files: PackFiles) -> Pieces {
        let file = files.lookup[name]
        return Pieces(cell: CSVField.escape(name), stimulus: file.map { String($0.number) } ?? "",
                      response: file.map { $0.side == .ori ? "1" : "-1" } ?? "")
    }

    /// The entry of the name stored as `name`; nil when those bytes are not valid UTF-8.
    mutating func entry(for name: UnsafeBufferPointer<UInt8>) -> Int? {
        let hash = Self.hash(name)
        var slot = Int(truncatingIfNeeded: hash) & (slots.count - 1)
        while slots[slot] != 0 {
            let found = Int(slots[slot]) - 1
            if matches(entries[found].key, name) { return found }
            slot = (slot + 1) & (slots.count - 1)
        }
        guard let text = String(validating: name, as: UTF8.self) else { return nil }
        let resolved = Self.pieces(for: text, in: files)
        let keyStart = keys.count
        keys.append(contentsOf: name)
        entries.append(Entry(key: keyStart..<keys.count, cell: append(resolved.cell),
                             stimulus: append(resolved.stimulus), response: append(resolved.response)))
        slots[slot] = Int32(entries.count)
        if entries.count * 2 > slots.count { grow() }
        return entries.count - 1
    }

    /// The pieces and entries as memory, for writing rows without retains or bounds checks.
    func withStorage<Result>(_ body: (UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<Entry>) -> Result) -> Result {
        pieces.withUnsafeBufferPointer { pieces in entries.withUnsafeBufferPointer { entries in body(pieces, entries) } }
    }

    private mutating func append(_ text: String) -> Range<Int> {
        let start = pieces.count
        pieces.append(contentsOf: text.utf8)
        return start..<pieces.count
    }

    /// True when entry `index` is the name stored as `name`: one compare, no hashing.
    func entry(_ index: Int, isNamed name: UnsafeBufferPointer<UInt8>) -> Bool {
        matches(entries[index].key, name)
    }

    var count: Int { entries.count }

    private func matches(_ key: Range<Int>, _ name: UnsafeBufferPointer<UInt8>) -> Bool {
        guard key.count == name.count else { return false }
        guard let base = name.baseAddress, key.count > 0 else { return true }
        return keys.withUnsafeBufferPointer { memcmp($0.baseAddress! + key.lowerBound, base, key.count) == 0 }
    }

    private mutating func grow() {
        slots = Array(repeating: 0, count: slots.count * 2)
        for (index, entry) in entries.enumerated() {
            let hash = keys.withUnsafeBufferPointer { Self.hash(UnsafeBufferPointer(rebasing: $0[entry.key])) }
            var slot = Int(truncatingIfNeeded: hash) & (slots.count - 1)
            while slots[slot] != 0 { slot = (slot + 1) & (slots.count - 1) }
            slots[slot] = Int32(index + 1)
        }
    }

    /// Eight bytes at a time, multiply and rotate: file names are short, and a download's table
    /// holds only names its own pack's replies contain.
    private static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var hash = UInt64(truncatingIfNeeded: bytes.count) &* 0x9E37_79B9_7F4A_7C15
        guard let base = bytes.baseAddress else { return hash }
        let raw = UnsafeRawPointer(base)
        var offset = 0
        while offset + 8 <= bytes.count {
            hash = mix(hash, raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            offset += 8
        }
        var last: UInt64 = 0
        var shift: UInt64 = 0
        while offset < bytes.count {
            last |= UInt64(bytes[offset]) << shift
            shift += 8
            offset += 1
        }
        return mix(hash, last)
    }

    private static func mix(_ hash: UInt64, _ word: UInt64) -> UInt64 {
        let product = (hash ^ word) &* 0x9E37_79B9_7F4A_7C15
        return product ^ (product >> 32)
    }
}
