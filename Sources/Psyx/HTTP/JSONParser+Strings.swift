/// Strings: the common case (no escapes) straight from the input's bytes.
extension JSONParser {
    /// A string starting at the opening quote at `index`; leaves `index` after the closing quote.
    mutating func string() throws(JSONParseError) -> String {
        index += 1
        let start = index
        var allBits: UInt8 = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let slice = UnsafeBufferPointer(rebasing: bytes[start..<index])
                // ASCII is valid UTF-8: only strings with other bytes need the validating init.
                let text = allBits < 0x80 ? String(decoding: slice, as: UTF8.self) : try Self.validated(slice, at: start)
                index += 1
                return text
            }
            allBits |= byte
            if byte == UInt8(ascii: "\\") { return try escapedString(from: start) }
            guard byte >= 0x20 else { throw JSONParseError(.controlCharacter, at: index) }
            index += 1
        }
        throw JSONParseError(.unexpectedEnd, at: index)
    }

    private static func validated(_ bytes: UnsafeBufferPointer<UInt8>, at offset: Int) throws(JSONParseError) -> String {
        guard let text = String(validating: bytes, as: UTF8.self) else { throw JSONParseError(.invalidUTF8, at: offset) }
        return text
    }

    /// The rest of a string from its first backslash (at `index`), decoded into `scratch`.
    private mutating func escapedString(from start: Int) throws(JSONParseError) -> String {
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<index]))
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                return try scratch.withUnsafeBufferPointer { buffer in
                    Result { () throws(JSONParseError) in try Self.validated(buffer, at: start) }
                }.get()
            case UInt8(ascii: "\\"):
                try escape()
            case 0..<0x20:
                throw JSONParseError(.controlCharacter, at: index)
            default:
                scratch.append(byte)
                index += 1
            }
        }
        throw JSONParseError(.unexpectedEnd, at: index)
    }

    /// One escape at `index` (the backslash), appended to `scratch` as UTF-8.
    private mutating func escape() throws(JSONParseError) {
        guard index + 1 < bytes.count else { throw JSONParseError(.unexpectedEnd, at: index + 1) }
        let letter = bytes[index + 1]
        index += 2
        switch letter {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): scratch.append(letter)
        case UInt8(ascii: "b"): scratch.append(0x08)
        case UInt8(ascii: "f"): scratch.append(0x0C)
        case UInt8(ascii: "n"): scratch.append(0x0A)
        case UInt8(ascii: "r"): scratch.append(0x0D)
        case UInt8(ascii: "t"): scratch.append(0x09)
        case UInt8(ascii: "u"): try unicodeEscape()
        default: throw JSONParseError(.invalidEscape, at: index - 1)
        }
    }

    /// `\uXXXX` (its `\u` already read), with a following `\uXXXX` low surrogate after a high one.
    private mutating func unicodeEscape() throws(JSONParseError) {
        let escapeStart = index - 2
        let unit = try hex4()
        var scalarValue = UInt32(unit)
        switch unit {
        case 0xD800..<0xDC00:
            guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                throw JSONParseError(.loneSurrogate, at: escapeStart)
            }
            index += 2
            let low = try hex4()
            guard (0xDC00..<0xE000).contains(low) else { throw JSONParseError(.loneSurrogate, at: escapeStart) }
            scalarValue = 0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00)
        case 0xDC00..<0xE000:
            throw JSONParseError(.loneSurrogate, at: escapeStart)
        default:
            break
        }
        guard let scalar = Unicode.Scalar(scalarValue) else { throw JSONParseError(.loneSurrogate, at: escapeStart) }
        UTF8.encode(scalar) { scratch.append($0) }
    }

    private mutating func hex4() throws(JSONParseError) -> UInt16 {
        var value: UInt16 = 0
        for _ in 0..<4 {
            guard index < bytes.count else { throw JSONParseError(.unexpectedEnd, at: index) }
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw JSONParseError(.invalidEscape, at: index)
            }
            value = value << 4 | UInt16(digit)
            index += 1
        }
        return value
    }
}
