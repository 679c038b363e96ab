/// Numbers: `-? (0 | [1-9][0-9]*) (.[0-9]+)? ([eE][+-]?[0-9]+)?`, computed from the digits.
extension JSONParser {
    /// Powers of ten that a `Double` holds exactly.
    private static let exactPowersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]

    /// A number starting at `index`. When the significant digits fit in 53 bits and
    /// the decimal exponent in ±22, one exact multiply or divide gives the correctly
    /// rounded value (Clinger's fast path); anything else goes to `strtod`.
    mutating func number() throws(JSONParseError) -> JSONNumber {
        let start = index
        let value = try numberValue()
        return JSONNumber(value: value, text: String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self))
    }

    /// The value of the number at `index`, leaving `index` after its last byte; its text is
    /// left to the caller (submit's trials keep it as a range of the body, no `String`).
    mutating func numberValue() throws(JSONParseError) -> Double {
        let start = index
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        var mantissa: UInt64 = 0
        var significant = 0
        var exponent = 0
        guard let first = digit() else { throw JSONParseError(.invalidNumber, at: index) }
        if first == 0 {
            guard digit() == nil else { throw JSONParseError(.invalidNumber, at: index - 1) }
        } else {
            mantissa = UInt64(first)
            significant = 1
            while let next = digit() { accumulate(next, into: &mantissa, &significant) }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard let next = digit() else { throw JSONParseError(.invalidNumber, at: index) }
            accumulate(next, into: &mantissa, &significant)
            exponent -= 1
            while let next = digit() {
                accumulate(next, into: &mantissa, &significant)
                exponent -= 1
            }
        }
        if index < bytes.count, bytes[index] | 0x20 == UInt8(ascii: "e") {
            index += 1
            var negative = false
            if index < bytes.count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
                negative = bytes[index] == UInt8(ascii: "-")
                index += 1
            }
            guard let firstExponentDigit = digit() else { throw JSONParseError(.invalidNumber, at: index) }
            var written = firstExponentDigit
            while written < 100_000, let next = digit() { written = written * 10 + next }
            while digit() != nil {}
            exponent += negative ? -written : written
        }
        let value: Double
        if significant <= 19, mantissa <= 1 << 53, (-22...22).contains(exponent) {
            let magnitude = exponent < 0 ? Double(mantissa) / Self.exactPowersOfTen[-exponent]
                                         : Double(mantissa) * Self.exactPowersOfTen[exponent]
            value = bytes[start] == UInt8(ascii: "-") ? -magnitude : magnitude
        } else {
            let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
            guard let parsed = Double(text) else { throw JSONParseError(.invalidNumber, at: start) }
            value = parsed
        }
        guard value.isFinite else { throw JSONParseError(.numberOutOfRange, at: start) }
        return value
    }

    /// The digit at `index` (and steps over it), or nil.
    private mutating func digit() -> Int? {
        guard index < bytes.count else { return nil }
        let byte = bytes[index]
        guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
        index += 1
        return Int(byte - UInt8(ascii: "0"))
    }

    /// Adds a digit to the mantissa; leading zeros are not significant, and past 19
    /// significant digits the mantissa stops (the count tells the slow path is needed).
    private func accumulate(_ digit: Int, into mantissa: inout UInt64, _ significant: inout Int) {
        guard mantissa != 0 || digit != 0 else { return }
        if significant < 19 { mantissa = mantissa &* 10 &+ UInt64(digit) }
        significant += 1
    }
}
