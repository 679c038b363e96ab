/// A JSON number: its value as a `Double`, and its text as written, so a message
/// can echo it the way the client sent it and integers can be told from `25.0`.
///
/// Equal when the values are equal (`1`, `1.0` and `1e0` are the same number).
public struct JSONNumber: Equatable, Sendable, CustomStringConvertible {
    public var value: Double
    /// The JSON text of the number (`25`, `25.0`, `1E2`, `-0`).
    public var text: String

    public init(value: Double, text: String) {
        self.value = value
        self.text = text
    }

    public init(_ value: Double) {
        self.init(value: value, text: String(value))
    }

    public init(_ value: Int) {
        self.init(value: Double(value), text: String(value))
    }

    public static func == (lhs: JSONNumber, rhs: JSONNumber) -> Bool {
        lhs.value == rhs.value
    }

    /// True when the text has no fraction and no exponent (`25`, `-0`, not `25.0`).
    public var isIntegerText: Bool {
        !text.utf8.contains { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }
    }

    /// The number as `NSNumber.stringValue` showed it when `JSONSerialization` decoded
    /// it (messages kept that spelling): integers in digits (`-0` as `0`), integers
    /// beyond 64 bits as written, others as Swift prints a `Double` (`25.0`, `1e+20`).
    public var description: String {
        guard isIntegerText else { return String(value) }
        return Int64(text).map { String($0) } ?? text
    }
}
