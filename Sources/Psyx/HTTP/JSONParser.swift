import Foundation

/// Strict RFC 8259 JSON, from bytes to `JSONValue` in one pass over the bytes.
///
/// Decisions: the input must be UTF-8 (invalid UTF-8 inside strings is an error,
/// never replaced); a leading UTF-8 byte-order mark is skipped; any value may be the
/// top level; no trailing commas, comments, `NaN`/`Infinity`, leading zeros or
/// leading `+`; numbers beyond `Double`'s range are an error (tiny ones round to 0);
/// `\u` escapes must pair surrogates correctly; raw control characters in strings
/// are an error; containers nest at most `maximumDepth` deep; a repeated object key
/// keeps its last value, as `JSONSerialization` does.
///
/// Fast where it matters: strings without escapes become `String`s straight from
/// their bytes, common numbers are computed from their digits without `strtod`.
public struct JSONParser {
    /// Deepest nesting of arrays and objects accepted: ours never go past 2, and it
    /// keeps the recursion's stack small whatever a client sends.
    public static let maximumDepth = 64

    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0
    var depth = 0
    /// Reused for strings with escapes, so decoding them allocates only the result.
    var scratch: [UInt8] = []

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>) throws(JSONParseError) -> JSONValue {
        var parser = JSONParser(bytes)
        return try parser.document()
    }

    public static func parse(_ bytes: UnsafeRawBufferPointer) throws(JSONParseError) -> JSONValue {
        try bytes.withMemoryRebound(to: UInt8.self) { buffer in
            Result { () throws(JSONParseError) in try parse(buffer) }
        }.get()
    }

    public static func parse(_ bytes: [UInt8]) throws(JSONParseError) -> JSONValue {
        try bytes.withUnsafeBufferPointer { buffer in
            Result { () throws(JSONParseError) in try parse(buffer) }
        }.get()
    }

    public static func parse(_ data: Data) throws(JSONParseError) -> JSONValue {
        try data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) in
            Result { () throws(JSONParseError) in try parse(buffer) }
        }.get()
    }

    public static func parse(_ text: String) throws(JSONParseError) -> JSONValue {
        var text = text
        return try text.withUTF8 { buffer in
            Result { () throws(JSONParseError) in try parse(buffer) }
        }.get()
    }

    // MARK: - Structure

    private mutating func document() throws(JSONParseError) -> JSONValue {
        try document { parser throws(JSONParseError) in try parser.value() }
    }

    /// The whole input as one value read by `body`: a byte-order mark and whitespace around it, nothing after.
    mutating func document<T>(_ body: (inout JSONParser) throws(JSONParseError) -> T) throws(JSONParseError) -> T {
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { index = 3 }
        skipWhitespace()
        guard index < bytes.count else { throw JSONParseError(.empty, at: index) }
        let value = try body(&self)
        skipWhitespace()
        guard index == bytes.count else { throw JSONParseError(.trailingBytes, at: index) }
        return value
    }

    mutating func value() throws(JSONParseError) -> JSONValue {
        guard index < bytes.count else { throw JSONParseError(.unexpectedEnd, at: index) }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try object()
        case UInt8(ascii: "["): return try array()
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try number())
        default: throw JSONParseError(.unexpectedByte, at: index)
        }
    }

    private mutating func array() throws(JSONParseError) -> JSONValue {
        try enter()
        var elements: [JSONValue] = []
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            depth -= 1
            return .array(elements)
        }
        while true {
            skipWhitespace()
            elements.append(try value())
            if try endOfMember(closing: UInt8(ascii: "]")) { break }
        }
        depth -= 1
        return .array(elements)
    }

    private mutating func object() throws(JSONParseError) -> JSONValue {
        var members: [String: JSONValue] = [:]
        try forEachMember { parser, key throws(JSONParseError) in members[key] = try parser.value() }
        return .object(members)
    }

    /// Steps through the object at `index`, handing each key to `member`, which reads its value.
    mutating func forEachMember(_ member: (inout JSONParser, String) throws(JSONParseError) -> Void) throws(JSONParseError) {
        try enter()
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            depth -= 1
            return
        }
        while true {
            skipWhitespace()
            guard index < bytes.count else { throw JSONParseError(.unexpectedEnd, at: index) }
            guard bytes[index] == UInt8(ascii: "\"") else { throw JSONParseError(.unexpectedByte, at: index) }
            let key = try string()
            skipWhitespace()
            guard index < bytes.count else { throw JSONParseError(.unexpectedEnd, at: index) }
            guard bytes[index] == UInt8(ascii: ":") else { throw JSONParseError(.unexpectedByte, at: index) }
            index += 1
            skipWhitespace()
            try member(&self, key)
            if try endOfMember(closing: UInt8(ascii: "}")) { break }
        }
        depth -= 1
    }

    /// Steps over an opening bracket, counting the depth.
    private mutating func enter() throws(JSONParseError) {
        guard depth < Self.maximumDepth else { throw JSONParseError(.tooDeep, at: index) }
        depth += 1
        index += 1
    }

    /// After a member: true at the closing bracket, false after a comma.
    private mutating func endOfMember(closing: UInt8) throws(JSONParseError) -> Bool {
        skipWhitespace()
        guard index < bytes.count else { throw JSONParseError(.unexpectedEnd, at: index) }
        let byte = bytes[index]
        index += 1
        if byte == UInt8(ascii: ",") { return false }
        if byte == closing { return true }
        throw JSONParseError(.unexpectedByte, at: index - 1)
    }

    private mutating func literal(_ word: StaticString) throws(JSONParseError) {
        let count = word.utf8CodeUnitCount
        let start = word.utf8Start
        for offset in 0..<count {
            guard index + offset < bytes.count else { throw JSONParseError(.unexpectedEnd, at: index + offset) }
            guard bytes[index + offset] == start[offset] else { throw JSONParseError(.unexpectedByte, at: index + offset) }
        }
        index += count
    }

    mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }
}
