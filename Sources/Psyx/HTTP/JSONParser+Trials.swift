/// Submit's `answers` read straight from the bytes: hundreds of `[key, rt, X, Y]` would
/// otherwise become a tree of thousands of `JSONValue`s and `String`s, only to be checked and dropped.
extension JSONParser {
    /// The value at `index` as trials when it is an array of `[string, number, string, string]`
    /// with strings free of escapes (what clients send); anything else, errors included, is read
    /// again from the same place by `value()`, so what is accepted and refused stays the parser's own.
    mutating func answers() throws(JSONParseError) -> SubmittedAnswers {
        let start = index
        if let trials = plainTrials() { return .trials(trials) }
        index = start
        return .value(try value())
    }

    /// An array of plain trials, or nil at the first byte that does not fit that shape.
    private mutating func plainTrials() -> [SubmittedTrial]? {
        guard take(UInt8(ascii: "[")) else { return nil }
        var trials: [SubmittedTrial] = []
        trials.reserveCapacity(min(1024, (bytes.count - index) / 40))
        skipWhitespace()
        if take(UInt8(ascii: "]")) { return trials }
        while true {
            skipWhitespace()
            guard let trial = plainTrial() else { return nil }
            trials.append(trial)
            skipWhitespace()
            if take(UInt8(ascii: "]")) { return trials }
            guard take(UInt8(ascii: ",")) else { return nil }
        }
    }

    /// `[key, rt, X, Y]` with whitespace anywhere JSON allows it.
    private mutating func plainTrial() -> SubmittedTrial? {
        guard take(UInt8(ascii: "[")) else { return nil }
        skipWhitespace()
        guard let key = plainString(), separator() else { return nil }
        let rtStart = index
        guard index < bytes.count, bytes[index] == UInt8(ascii: "-") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]),
              let rt = try? numberValue() else { return nil }
        let rtText = rtStart..<index
        guard separator(), let x = plainString(), separator(), let y = plainString() else { return nil }
        skipWhitespace()
        guard take(UInt8(ascii: "]")) else { return nil }
        return SubmittedTrial(key: key, rt: rtText, rtValue: rt, x: x, y: y)
    }

    /// Whitespace, a comma, whitespace.
    private mutating func separator() -> Bool {
        skipWhitespace()
        guard take(UInt8(ascii: ",")) else { return false }
        skipWhitespace()
        return true
    }

    /// A string without escapes or control characters, as the range of its bytes between the
    /// quotes; bytes beyond ASCII must be valid UTF-8, checked as `string()` checks them.
    private mutating func plainString() -> Range<Int>? {
        guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { return nil }
        let start = index + 1
        var end = Self.skipPlainASCII(bytes, from: start)
        var allBits: UInt8 = 0
        while end < bytes.count {
            let byte = bytes[end]
            if byte == UInt8(ascii: "\"") {
                if allBits >= 0x80, String(validating: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self) == nil {
                    return nil
                }
                index = end + 1
                return start..<end
            }
            guard byte >= 0x20, byte != UInt8(ascii: "\\") else { return nil }
            allBits |= byte
            end += 1
        }
        return nil
    }

    /// Where the first byte from `start` lies that is a quote, a backslash, a control byte or
    /// beyond ASCII, eight bytes at a time (or a little before it: the bytes left are checked one by one).
    private static func skipPlainASCII(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        guard let base = UnsafeRawPointer(bytes.baseAddress) else { return start }
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        var end = start
        while end + 8 <= bytes.count {
            let word = base.loadUnaligned(fromByteOffset: end, as: UInt64.self)
            let quote = word ^ (ones &* 0x22)
            let backslash = word ^ (ones &* 0x5C)
            // A high bit in a lane when that byte is zero (after the XORs) or below 0x20; and beyond ASCII.
            let special = ((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash) | (word &- ones &* 0x20) | word
            guard special & highs == 0 else { break }
            end += 8
        }
        return end
    }

    /// Steps over `byte` when it is next.
    private mutating func take(_ byte: UInt8) -> Bool {
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }
}
