import Foundation

/// A pack's file names, looked up by name: pair number and side.
struct PackFiles {
    struct Entry {
        var number: Int
        var side: PairFileName.Side
    }

    let lookup: [String: Entry]
    /// The same names by their bytes, for submit's answers.
    let byBytes: ByteKeyedTable<Entry>
    /// The smallest to the largest pair number (sizes submit's record of pairs already answered).
    let numbers: ClosedRange<Int>

    init(_ pack: Pack) {
        var lookup: [String: Entry] = [:]
        lookup.reserveCapacity(pack.pairs.count * 2)
        for pair in pack.pairs {
            lookup[pair.ori] = Entry(number: pair.number, side: .ori)
            lookup[pair.inv] = Entry(number: pair.number, side: .inv)
        }
        self.lookup = lookup
        var byBytes = ByteKeyedTable<Entry>(minimumCapacity: lookup.count)
        for (name, entry) in lookup {
            var name = name
            name.withUTF8 { _ = byBytes.insert($0, entry) }
        }
        self.byBytes = byBytes
        numbers = (pack.pairs.map(\.number).min() ?? 0)...(pack.pairs.map(\.number).max() ?? 0)
    }

    /// What `lookup` answers for the name with these UTF-8 bytes. Byte-equal names are found in
    /// `byBytes`; any other is looked up as a `String`, which also matches canonically equivalent
    /// spellings (a decomposed `é` for a composed one), so both paths accept the same names.
    func entry(named name: UnsafeBufferPointer<UInt8>) -> Entry? {
        byBytes[name] ?? lookup[String(decoding: name, as: UTF8.self)]
    }
}
