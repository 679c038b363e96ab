/// A decoded JSON document as plain Swift values (see `JSONParser`).
///
/// Our own enum rather than `JSONSerialization`'s `Any`: no `NSNumber` bridging, no
/// dynamic casts on the hot submit path, and booleans can never pass as numbers.
public enum JSONValue: Equatable, Sendable {
    case null
    case bool(Bool)
    case number(JSONNumber)
    case string(String)
    case array([JSONValue])
    /// Duplicate keys: the last one wins (as with `JSONSerialization`).
    case object([String: JSONValue])

    /// A number from a Swift value, spelled as Swift prints it (for tests and fixtures).
    public static func number(_ value: Double) -> JSONValue {
        .number(JSONNumber(value))
    }

    /// A number from a Swift integer, spelled in decimal digits.
    public static func number(_ value: Int) -> JSONValue {
        .number(JSONNumber(value))
    }

    /// The elements, or nil when this is not an array.
    public var arrayValue: [JSONValue]? {
        if case .array(let elements) = self { return elements }
        return nil
    }

    /// The members, or nil when this is not an object.
    public var objectValue: [String: JSONValue]? {
        if case .object(let members) = self { return members }
        return nil
    }

    /// The text, or nil when this is not a string.
    public var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    /// The number's value, or nil when this is not a number (booleans are not numbers).
    public var doubleValue: Double? {
        if case .number(let number) = self { return number.value }
        return nil
    }
}
