/// The CSV download's fast path: a reply's rows from its stored bytes, in two passes — scan the
/// trials and find their names, then write every row straight into the output's memory.
///
/// A row is `prefix,trial,key,rt`, then a tail, `,left,right,chosen,stimulus,response`, that
/// depends only on the left file and the key once the left file's partner is known (each tail is
/// composed once per download and copied after that), then the reply's `suffix` (its own columns
/// and the newline). No `String`, dictionary or reference count
/// per row.
struct CSVRowWriter {
    /// One scanned trial: its `rt` text in the stored bytes, the key byte to write (0: none), its tail.
    private struct Row {
        var rtStart: Int32
        var rtEnd: Int32
        var key: UInt8
        var tail: Int32
    }

    private var names: CSVNameTable
    /// The entry of the empty name: `chosen` when no key was pressed.
    private let none: Int
    /// By entry: the right file seen beside it as the left file (-1: not yet).
    private var partners: [Int32] = []
    /// By entry × key (F, J, space): the index of its tail in `tails` (-1: not composed yet).
    private var tailOf: [Int32] = []
    private var tails: [Range<Int>] = []
    private var tailBytes: [UInt8] = []
    private var rows: [Row] = []

    init(names: CSVNameTable) {
        var names = names
        none = names.entry(for: UnsafeBufferPointer(start: nil, count: 0)) ?? 0
        self.names = names
        partners.reserveCapacity(names.count)
        tailOf.reserveCapacity(names.count * 3)
    }

    /// Appends a reply's rows, each starting with `prefix`, its sides read with `layout`. False, with
    /// `out` as it was, when the text is not in the stored shape, a name is not valid UTF-8 or a left
    /// file appears beside another right file than before: the caller then parses the reply.
    mutating func append(answers: String, layout: AnswerLayout, prefix: [UInt8], suffix: [UInt8],
                         to out: inout [UInt8]) -> Bool {
        var answers = answers
        return answers.withUTF8 { bytes in
            guard scan(bytes, layout: layout) else { return false }
            write(bytes, prefix: prefix, suffix: suffix, to: &out)
            return true
        }
    }

    private mutating func scan(_ bytes: UnsafeBufferPointer<UInt8>, layout: AnswerLayout) -> Bool {
        rows.removeAll(keepingCapacity: true)
        var scanner = StoredTrialScanner(bytes)
        while let trial = scanner.next() {
            let sides = layout.sides(trial.x, trial.y)
            guard let left = names.entry(for: UnsafeBufferPointer(rebasing: bytes[sides.left])) else { return false }
            let rightName = UnsafeBufferPointer(rebasing: bytes[sides.right])
            fitToNames()
            if partners[left] < 0 {
                guard let right = names.entry(for: rightName) else { return false }
                fitToNames()
                partners[left] = Int32(right)
            } else if !names.entry(Int(partners[left]), isNamed: rightName) {
                return false
            }
            let slot = trial.key == UInt8(ascii: "F") ? 0 : (trial.key == UInt8(ascii: "J") ? 1 : 2)
            if tailOf[left * 3 + slot] < 0 { tailOf[left * 3 + slot] = composeTail(left: left, slot: slot) }
            let chosen = slot == 0 ? left : (slot == 1 ? Int(partners[left]) : none)
            rows.append(Row(rtStart: Int32(trial.rt.lowerBound), rtEnd: Int32(trial.rt.upperBound),
                            key: chosen == none ? 0 : trial.key, tail: tailOf[left * 3 + slot]))
        }
        return !scanner.failed
    }

    /// Room in `partners` and `tailOf` for every name found so far.
    private mutating func fitToNames() {
        guard partners.count < names.count else { return }
        partners.append(contentsOf: repeatElement(-1, count: names.count - partners.count))
        tailOf.append(contentsOf: repeatElement(-1, count: names.count * 3 - tailOf.count))
    }

    /// `,left,right,chosen,stimulus,response` as `ReplyExport.appendParsedRows` writes it.
    private mutating func composeTail(left: Int, slot: Int) -> Int32 {
        let right = Int(partners[left])
        let chosen = slot == 0 ? left : (slot == 1 ? right : none)
        let start = tailBytes.count
        names.withStorage { pieces, entries in
            for piece in [entries[left].cell, entries[right].cell, entries[chosen].cell,
                          entries[left].stimulus, entries[chosen].response] {
                tailBytes.append(0x2C)
                tailBytes.append(contentsOf: pieces[piece])
            }
        }
        tails.append(start..<tailBytes.count)
        return Int32(tails.count - 1)
    }

    private func write(_ bytes: UnsafeBufferPointer<UInt8>, prefix: [UInt8], suffix: [UInt8], to out: inout [UInt8]) {
        var size = 0
        for (index, row) in rows.enumerated() {
            size += prefix.count + Self.digitCount(index + 1) + 2 + (row.key == 0 ? 0 : 1)
                + Int(row.rtEnd - row.rtStart) + tails[Int(row.tail)].count + suffix.count
        }
        let start = out.count
        out.append(contentsOf: repeatElement(0, count: size))
        out.withUnsafeMutableBufferPointer { output in
            rows.withUnsafeBufferPointer { rows in
                tails.withUnsafeBufferPointer { tails in
                    tailBytes.withUnsafeBufferPointer { tailBytes in
                        prefix.withUnsafeBufferPointer { prefix in
                          suffix.withUnsafeBufferPointer { suffix in
                            var cursor = output.baseAddress! + start
                            for (index, row) in rows.enumerated() {
                                Self.copy(prefix, 0..<prefix.count, to: &cursor)
                                let digits = Self.digitCount(index + 1)
                                var number = index + 1
                                for place in stride(from: digits - 1, through: 0, by: -1) {
                                    cursor[place] = UInt8(ascii: "0") + UInt8(number % 10)
                                    number /= 10
                                }
                                cursor[digits] = 0x2C
                                cursor += digits + 1
                                if row.key != 0 {
                                    cursor.pointee = row.key
                                    cursor += 1
                                }
                                cursor.pointee = 0x2C
                                cursor += 1
                                Self.copy(bytes, Int(row.rtStart)..<Int(row.rtEnd), to: &cursor)
                                Self.copy(tailBytes, tails[Int(row.tail)], to: &cursor)
                                Self.copy(suffix, 0..<suffix.count, to: &cursor)
                            }
                            precondition(cursor == output.baseAddress! + start + size, "CSV row sizes disagree")
                          }
                        }
                    }
                }
            }
        }
    }

    private static func copy(_ source: UnsafeBufferPointer<UInt8>, _ range: Range<Int>,
                             to cursor: inout UnsafeMutablePointer<UInt8>) {
        guard !range.isEmpty else { return }
        cursor.update(from: source.baseAddress! + range.lowerBound, count: range.count)
        cursor += range.count
    }

    private static func digitCount(_ value: Int) -> Int {
        var count = 1
        var rest = value
        while rest >= 10 {
            rest /= 10
            count += 1
        }
        return count
    }
}
