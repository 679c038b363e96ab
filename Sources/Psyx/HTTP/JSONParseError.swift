/// Why `JSONParser` refused a document, and the byte offset where it noticed.
public struct JSONParseError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Reason: String, Sendable {
        case empty = "no value"
        case unexpectedByte = "unexpected byte"
        case unexpectedEnd = "unexpected end of input"
        case trailingBytes = "bytes after the value"
        case invalidNumber = "invalid number"
        case numberOutOfRange = "number out of range"
        case invalidEscape = "invalid escape"
        case loneSurrogate = "lone UTF-16 surrogate"
        case controlCharacter = "control character in a string"
        case invalidUTF8 = "invalid UTF-8"
        case tooDeep = "nested too deeply"
    }

    public var reason: Reason
    public var offset: Int

    public init(_ reason: Reason, at offset: Int) {
        self.reason = reason
        self.offset = offset
    }

    public var description: String { "\(reason.rawValue) at byte \(offset)" }
}
