import Foundation

/// One value of a decoded JSON object (as `JSONSerialization` hands it over),
/// sorted into the few shapes validation cares about.
///
/// The sorting is careful about `NSNumber`: on Linux a JSON `true` arrives as a
/// boolean `NSNumber` that also casts to `Int` (and a JSON `1` casts to `Bool`),
/// so booleans are told apart by their concrete class, never by `as?`.
enum JSONFieldValue {
    case missing
    case null
    case bool(Bool)
    case number(NSNumber)
    case string(String)
    /// An array or object: always the wrong type for a participant field.
    case other(Any)

    /// The class `NSNumber` uses for booleans (`__NSCFBoolean` in swift-corelibs-foundation).
    private static let booleanClass = ObjectIdentifier(type(of: NSNumber(value: true)))

    init(_ value: Any?) {
        guard let value else {
            self = .missing
            return
        }
        if value is NSNull {
            self = .null
        } else if let flag = value as? Bool, type(of: value) == Bool.self {
            self = .bool(flag)
        } else if let string = value as? String {
            self = .string(string)
        } else if let number = value as? NSNumber {
            if ObjectIdentifier(type(of: number)) == Self.booleanClass {
                self = .bool(number.boolValue)
            } else {
                self = .number(number)
            }
        } else {
            self = .other(value)
        }
    }

    /// A whole number from an integral JSON number (`25`, `25.0`) or a string of
    /// ASCII digits with an optional leading `-` (`"25"`, as old form-based clients send).
    /// Nil for anything else: `25.5`, booleans, magnitudes from 10^15 (where doubles stop being exact).
    var integer: Int? {
        switch self {
        case .number(let number):
            let value = number.doubleValue
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
        case .number(let number): text = number.stringValue
        case .string(let string): text = string
        case .other(let value): text = Self.compactJSON(value)
        }
        return Self.printable(text)
    }

    private static func compactJSON(_ value: Any) -> String {
        guard JSONSerialization.isValidJSONObject(value),
              let data = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys]),
              let text = String(data: data, encoding: .utf8) else {
            return value is [Any] ? "[…]" : "{…}"
        }
        return text
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
