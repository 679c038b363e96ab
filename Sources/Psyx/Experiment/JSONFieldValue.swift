import Foundation

/// One value of a decoded JSON object, sorted into the few shapes validation cares
/// about (a missing key is a shape of its own).
enum JSONFieldValue {
    case missing
    case null
    case bool(Bool)
    case number(JSONNumber)
    case string(String)
    /// An array or object: always the wrong type for a participant field.
    case other(JSONValue)

    init(_ value: JSONValue?) {
        switch value {
        case nil: self = .missing
        case .null: self = .null
        case .bool(let flag): self = .bool(flag)
        case .number(let number): self = .number(number)
        case .string(let string): self = .string(string)
        case .some(let container): self = .other(container)
        }
    }

    /// A whole number from an integral JSON number (`25`, `25.0`) or a string of
    /// ASCII digits with an optional leading `-` (`"25"`, as old form-based clients send).
    /// Nil for anything else: `25.5`, booleans, magnitudes from 10^15 (where doubles stop being exact).
    var integer: Int? {
        switch self {
        case .number(let number):
            let value = number.value
            guard value.isFinite, value == value.rounded(.towardZero), abs(value) < 1e15 else {
                return nil
            }
            return Int(value)
        case .string(let string):
            let text = string.trimmingCharacters(in: .whitespacesAndNewlines)
            let digits = text.hasPrefix("-") ? text.dropFirst() : Substring(text)
            guard (1...9).contains(digits.count), digits.allSatisfy({ $0.isASCII && $0.isWholeNumber }),
                  let magnitude = Int(digits) else {
                return nil
            }
            return text.hasPrefix("-") ? -magnitude : magnitude
        case .missing, .null, .bool, .other:
            return nil
        }
    }

    /// The value as it appears in a 400 message: strings as typed, other values in
    /// their JSON spelling, a missing field as nothing; control characters shown as
    /// U+FFFD and long values cut to 64 characters plus `…`.
    var displayText: String {
        let text: String
        switch self {
        case .missing: text = ""
        case .null: text = "null"
        case .bool(let flag): text = flag ? "true" : "false"
        case .number(let number): text = number.description
        case .string(let string): text = string
        case .other(let value): text = value.compactText
        }
        return Self.printable(text)
    }

    /// Limits by characters and by scalars, so a single character stacked with
    /// thousands of combining marks cannot make a huge message either.
    private static let maximumCharacters = 64
    private static let maximumScalars = 256

    private static func printable(_ text: String) -> String {
        var result = ""
        var characters = 0
        var scalars = 0
        for character in text {
            let count = character.unicodeScalars.count
            guard characters < maximumCharacters, scalars + count <= maximumScalars else {
                return result + "…"
            }
            characters += 1
            scalars += count
            if character.unicodeScalars.contains(where: isControl) {
                result.append("\u{FFFD}")
            } else {
                result.append(character)
            }
        }
        return result
    }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .control, .lineSeparator, .paragraphSeparator: true
        default: false
        }
    }
}
