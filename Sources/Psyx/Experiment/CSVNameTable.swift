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

    /// Ranges into `pieces`: what a row writes for the name.
    struct Entry {
        var cell: Range<Int>
        var stimulus: Range<Int>
        var response: Range<Int>
    }

    private(set) var pieces: [UInt8] = []
    /// By the name's stored bytes; an entry's index is what `entry(for:)` answers.
    private var names: ByteKeyedTable<Entry>
    let files: PackFiles

    /// The empty name (`chosen` when no key was pressed) and every file of the pack.
    init(files: PackFiles) {
        self.files = files
        let expected = files.lookup.count + 1
        names = ByteKeyedTable(minimumCapacity: expected)
        pieces.reserveCapacity(expected * 32)
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

    /// The entry of the name stored as `name`, added on first sight; nil (and nothing added) when
    /// those bytes are not valid UTF-8.
    mutating func entry(for name: UnsafeBufferPointer<UInt8>) -> Int? {
        if let found = names.index(of: name) { return found }
        guard let text = String(validating: name, as: UTF8.self) else { return nil }
        let resolved = Self.pieces(for: text, in: files)
        let entry = Entry(cell: append(resolved.cell), stimulus: append(resolved.stimulus), response: append(resolved.response))
        return names.insert(name, entry)
    }

    /// The pieces and entries as memory, for writing rows without retains or bounds checks.
    func withStorage<Result>(_ body: (UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<Entry>) -> Result) -> Result {
        pieces.withUnsafeBufferPointer { pieces in names.values.withUnsafeBufferPointer { entries in body(pieces, entries) } }
    }

    private mutating func append(_ text: String) -> Range<Int> {
        let start = pieces.count
        pieces.append(contentsOf: text.utf8)
        return start..<pieces.count
    }

    /// True when entry `index` is the name stored as `name`: one compare, no hashing.
    func entry(_ index: Int, isNamed name: UnsafeBufferPointer<UInt8>) -> Bool {
        names.key(index, equals: name)
    }

    var count: Int { names.count }
}
