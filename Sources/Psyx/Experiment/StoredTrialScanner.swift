/// Reads a reply's stored `answers` in the exact shape `AnswerCheck` writes them —
/// `[["F",0.512,"a_00001_ori.jpg","a_00001_inv.jpg"],...]`, no spaces, no escapes — as byte
/// ranges, without building a `JSONValue` tree: the CSV download reads 30,000 trials this way.
///
/// Anything else (whitespace, escapes, exponents, other keys or types) sets `failed`: the caller
/// then reads that reply with `JSONParser`, so odd stored text still gives the same rows.
/// Strings are not checked for valid UTF-8 here; `CSVNameTable` checks each name once.
struct StoredTrialScanner {
    struct Trial {
        /// `F`, `J` or a space.
        var key: UInt8
        var rt: Range<Int>
        /// Elements 3 and 4: which was shown on the left is the reply's `AnswerLayout`.
        var x: Range<Int>
        var y: Range<Int>
    }

    /// Longest `rt` text taken: far from `Double`'s range, so every accepted number is finite.
    static let maximumNumberLength = 24

    let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0
    private(set) var failed = false
    private var finished = false

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
        guard bytes.count >= 2, bytes[0] == UInt8(ascii: "[") else {
            failed = true
            return
        }
        index = 1
        if bytes[1] == UInt8(ascii: "]") {
            finished = true
            if bytes.count != 2 { fail() }
        }
    }

    /// The next trial; nil at the end of the list or when the text is not in the stored shape (`failed`).
    mutating func next() -> Trial? {
        guard !finished, !failed else { return nil }
        guard take(UInt8(ascii: "[")), let key = string(), key.count == 1, take(UInt8(ascii: ",")),
              let rt = number(), take(UInt8(ascii: ",")), let x = string(), take(UInt8(ascii: ",")),
              let y = string(), take(UInt8(ascii: "]")) else {
            fail()
            return nil
        }
        let keyByte = bytes[key.lowerBound]
        guard keyByte == UInt8(ascii: "F") || keyByte == UInt8(ascii: "J") || keyByte == UInt8(ascii: " ") else {
            fail()
            return nil
        }
        if take(UInt8(ascii: "]")) {
            finished = true
            if index != bytes.count { fail() }
        } else if !take(UInt8(ascii: ",")) {
            fail()
        }
        return failed ? nil : Trial(key: keyByte, rt: rt, x: x, y: y)
    }

    private mutating func fail() {
        failed = true
    }

    private mutating func take(_ byte: UInt8) -> Bool {
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    /// A string without escapes or control characters; its contents' range.
    private mutating func string() -> Range<Int>? {
        guard take(UInt8(ascii: "\"")), let base = bytes.baseAddress else { return nil }
        let start = index
        // Eight bytes at a time while none of them can end the string or be refused.
        let raw = UnsafeRawPointer(base)
        while index + 8 <= bytes.count, !Self.mayStop(raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)) {
            index += 8
        }
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                index += 1
                return start..<(index - 1)
            }
            if byte == UInt8(ascii: "\\") || byte < 0x20 { return nil }
            index += 1
        }
        return nil
    }

    /// True when a byte of `word` may be a quote, a backslash or a control character (never false
    /// when one is: the usual zero-byte test of each byte against each).
    private static func mayStop(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        func hasZero(_ value: UInt64) -> UInt64 { (value &- ones) & ~value & highs }
        let below = (word &- ones &* 0x20) & ~word & highs
        return (hasZero(word ^ (ones &* 0x22)) | hasZero(word ^ (ones &* 0x5C)) | below) != 0
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?`, short: the numbers `AnswerCheck` stores (no exponent).
    private mutating func number() -> Range<Int>? {
        let start = index
        _ = take(UInt8(ascii: "-"))
        guard index < bytes.count, isDigit(bytes[index]) else { return nil }
        let leadingZero = bytes[index] == UInt8(ascii: "0")
        index += 1
        if leadingZero {
            if index < bytes.count, isDigit(bytes[index]) { return nil }
        } else {
            skipDigits()
        }
        if take(UInt8(ascii: ".")) {
            guard index < bytes.count, isDigit(bytes[index]) else { return nil }
            skipDigits()
        }
        guard index - start <= Self.maximumNumberLength else { return nil }
        return start..<index
    }

    private mutating func skipDigits() {
        while index < bytes.count, isDigit(bytes[index]) { index += 1 }
    }

    private func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }
}
