/// The name-value pair encoding of PARAMS, GET_VALUES and GET_VALUES_RESULT.
///
/// Each length takes one byte when below 128, otherwise four bytes big-endian
/// with the high bit set; names and values are raw bytes, read here as UTF-8
/// (invalid sequences become U+FFFD rather than failing the request).
public enum NameValuePairs {
    /// Largest length the four-byte form can express.
    public static let maxLength = 0x7FFF_FFFF

    /// The pairs in order. Throws `FastCGIError.malformedNameValuePairs` when a
    /// length or a name or value runs past the end of `bytes`.
    public static func decode(_ bytes: [UInt8]) throws -> [(name: String, value: String)] {
        try decode(bytes, maxCount: Int.max)
    }

    /// `decode`, refusing with `FastCGIError.paramsTooLarge` as soon as there
    /// are more than `maxCount` pairs, before building the rest.
    public static func decode(_ bytes: [UInt8], maxCount: Int) throws -> [(name: String, value: String)] {
        try ranges(bytes, maxCount: maxCount).map {
            (name: String(decoding: bytes[$0.name], as: UTF8.self), value: String(decoding: bytes[$0.value], as: UTF8.self))
        }
    }

    /// A request's PARAMS stream as `Params`: the same checks as `decode`, no Strings built.
    public static func decodeParams(_ bytes: [UInt8], maxCount: Int) throws -> Params {
        Params(bytes: bytes, ranges: try ranges(bytes, maxCount: maxCount))
    }

    /// The first `maxCount` pairs, stopping early at a pair that does not decode: what a refused
    /// request's params still tell (its method and route, for the log). Never throws.
    public static func leadingParams(_ bytes: [UInt8], maxCount: Int) -> Params {
        var ranges: [(name: Range<Int>, value: Range<Int>)] = []
        _ = try? collectRanges(bytes, maxCount: maxCount, into: &ranges)
        return Params(bytes: bytes, ranges: ranges)
    }

    /// Where each name and value lies in `bytes`.
    private static func ranges(_ bytes: [UInt8], maxCount: Int) throws -> [(name: Range<Int>, value: Range<Int>)] {
        var ranges: [(name: Range<Int>, value: Range<Int>)] = []
        try collectRanges(bytes, maxCount: maxCount, into: &ranges)
        return ranges
    }

    /// Appends each pair's ranges as it is decoded, so a caller that stops at an error keeps those before it.
    private static func collectRanges(_ bytes: [UInt8], maxCount: Int,
                                      into ranges: inout [(name: Range<Int>, value: Range<Int>)]) throws {
        // Nginx sends some thirty pairs of at least a dozen bytes each.
        ranges.reserveCapacity(min(maxCount, bytes.count / 12 + 1))
        var index = 0
        while index < bytes.count {
            guard ranges.count < maxCount else { throw FastCGIError.paramsTooLarge }
            let nameLength = try readLength(bytes, at: &index)
            let valueLength = try readLength(bytes, at: &index)
            // Both lengths are below 2^31, so the sums cannot overflow Int.
            guard nameLength + valueLength <= bytes.count - index else {
                throw FastCGIError.malformedNameValuePairs
            }
            let name = index..<(index + nameLength)
            let value = name.upperBound..<(name.upperBound + valueLength)
            ranges.append((name, value))
            index = value.upperBound
        }
    }

    /// The pairs as bytes, in order.
    public static func encode(_ pairs: [(name: String, value: String)]) -> [UInt8] {
        var bytes: [UInt8] = []
        var total = 0
        for pair in pairs {
            total += encodedLengthSize(pair.name.utf8.count) + encodedLengthSize(pair.value.utf8.count)
            total += pair.name.utf8.count + pair.value.utf8.count
        }
        bytes.reserveCapacity(total)
        for pair in pairs {
            appendLength(pair.name.utf8.count, to: &bytes)
            appendLength(pair.value.utf8.count, to: &bytes)
            bytes.append(contentsOf: pair.name.utf8)
            bytes.append(contentsOf: pair.value.utf8)
        }
        return bytes
    }

    private static func readLength(_ bytes: [UInt8], at index: inout Int) throws -> Int {
        guard index < bytes.count else { throw FastCGIError.malformedNameValuePairs }
        let first = bytes[index]
        if first < 0x80 {
            index += 1
            return Int(first)
        }
        guard bytes.count - index >= 4 else { throw FastCGIError.malformedNameValuePairs }
        let length = Int(first & 0x7F) << 24 | Int(bytes[index + 1]) << 16
            | Int(bytes[index + 2]) << 8 | Int(bytes[index + 3])
        index += 4
        return length
    }

    private static func encodedLengthSize(_ length: Int) -> Int {
        length < 0x80 ? 1 : 4
    }

    /// Lengths beyond `maxLength` (2 GiB strings) cannot be expressed; they are
    /// masked rather than trapping, which no real parameter comes near.
    private static func appendLength(_ length: Int, to bytes: inout [UInt8]) {
        if length < 0x80 {
            bytes.append(UInt8(length))
        } else {
            let value = UInt32(truncatingIfNeeded: length) & 0x7FFF_FFFF | 0x8000_0000
            bytes.append(UInt8(truncatingIfNeeded: value >> 24))
            bytes.append(UInt8(truncatingIfNeeded: value >> 16))
            bytes.append(UInt8(truncatingIfNeeded: value >> 8))
            bytes.append(UInt8(truncatingIfNeeded: value))
        }
    }
}
