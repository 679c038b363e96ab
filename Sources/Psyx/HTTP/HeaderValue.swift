/// A header value of the form `type; key=value; key="quoted \" value"`, as in
/// `Content-Type` and `Content-Disposition`.
///
/// Parsed on bytes rather than Characters, so a quote followed by a combining
/// mark is still a quote. Keys are lowercased; a key seen twice keeps its first
/// value; segments without `=` are ignored; `key*=` (RFC 5987) is kept under
/// its own name (`filename*`) and so ignored by callers asking for `filename`.
struct HeaderValue: Equatable, Sendable {
    /// The part before the first `;`, trimmed and lowercased (`form-data`).
    var type: String
    /// The parameters by lowercased name; values unquoted and unescaped.
    var parameters: [String: String]

    /// Nil only for an unterminated quoted string.
    init?(_ bytes: some Collection<UInt8>) {
        let bytes = Array(bytes)
        let typeEnd = bytes.firstIndex(of: Self.semicolon) ?? bytes.count
        type = Self.string(Self.trimmed(bytes[0..<typeEnd])).lowercased()
        parameters = [:]
        var index = typeEnd
        while index < bytes.count {
            index += 1  // past ";"
            guard let (key, value, next) = Self.parameter(in: bytes, from: index) else { return nil }
            if let key, parameters[key] == nil { parameters[key] = value }
            index = next
        }
    }

    private static let semicolon = UInt8(ascii: ";")
    private static let equals = UInt8(ascii: "=")
    private static let quote = UInt8(ascii: "\"")
    private static let backslash = UInt8(ascii: "\\")

    /// Reads `key=value` starting at `start`; returns the index of the next `;`
    /// (or the end). The key is nil for a segment without `=`.
    private static func parameter(
        in bytes: [UInt8], from start: Int
    ) -> (key: String?, value: String, next: Int)? {
        var index = start
        while index < bytes.count, bytes[index] != equals, bytes[index] != semicolon { index += 1 }
        guard index < bytes.count, bytes[index] == equals else { return (nil, "", index) }
        let key = string(trimmed(bytes[start..<index])).lowercased()
        index += 1
        while index < bytes.count, isWhitespace(bytes[index]) { index += 1 }
        if index < bytes.count, bytes[index] == quote {
            var value: [UInt8] = []
            index += 1
            while true {
                guard index < bytes.count else { return nil }  // unterminated quote
                let byte = bytes[index]
                if byte == quote { break }
                // `\"` and `\\` are escapes (curl); any other backslash is literal, as browsers send
                // Windows paths (`C:\faces\x.jpg`) unescaped.
                if byte == backslash, index + 1 < bytes.count, bytes[index + 1] == quote || bytes[index + 1] == backslash {
                    index += 1
                }
                value.append(bytes[index])
                index += 1
            }
            // Skip whatever follows the closing quote up to the next ";".
            let next = bytes[index...].firstIndex(of: semicolon) ?? bytes.count
            return (key, string(value[...]), next)
        }
        let end = bytes[index...].firstIndex(of: semicolon) ?? bytes.count
        return (key, string(trimmed(bytes[index..<end])), end)
    }

    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t")
    }

    static func trimmed(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var slice = bytes
        while let first = slice.first, isWhitespace(first) { slice.removeFirst() }
        while let last = slice.last, isWhitespace(last) { slice.removeLast() }
        return slice
    }

    /// UTF-8 with invalid sequences repaired, since header bytes come from the client.
    static func string(_ bytes: ArraySlice<UInt8>) -> String {
        String(decoding: bytes, as: UTF8.self)
    }
}
