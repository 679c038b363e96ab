/// Percent-decoding for `application/x-www-form-urlencoded` bodies and query
/// strings (the WHATWG URL Standard's rules), on bytes so that `%ED%95%9C`
/// becomes one Hangul syllable.
enum PercentDecoding {
    /// Decodes `%XX` to its byte and, when `plusIsSpace`, `+` to a space. A `%`
    /// not followed by two hex digits is kept as it is, with what follows it.
    static func decode(_ bytes: some Collection<UInt8>, plusIsSpace: Bool) -> [UInt8] {
        let input = Array(bytes)
        var output: [UInt8] = []
        output.reserveCapacity(input.count)
        var index = 0
        while index < input.count {
            let byte = input[index]
            if byte == UInt8(ascii: "%"), index + 2 < input.count,
               let high = hexValue(input[index + 1]), let low = hexValue(input[index + 2]) {
                output.append(high << 4 | low)
                index += 3
                continue
            }
            output.append(plusIsSpace && byte == UInt8(ascii: "+") ? UInt8(ascii: " ") : byte)
            index += 1
        }
        return output
    }

    /// Decodes to a String, repairing invalid UTF-8 with U+FFFD.
    static func decodeString(_ bytes: some Collection<UInt8>, plusIsSpace: Bool) -> String {
        String(decoding: decode(bytes, plusIsSpace: plusIsSpace), as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
