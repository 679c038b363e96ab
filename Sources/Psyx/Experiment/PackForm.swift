import Foundation

/// The text fields of a create request, checked in the spec's order (§3.1).
struct PackForm {
    var fields: [String: String] = [:]

    struct Valid {
        var name: String
        var sex: Int
        var ageMin: Int
        var ageMax: Int
    }

    static let maxFieldBytes = 256

    /// The settings' long fields have their own limits (PackSettings.md); one byte past the limit
    /// makes the field invalid, so its own 400 answers.
    static func maxBytes(ofField name: String) -> Int {
        switch name {
        case "consent": 20_000
        case "completion_url": CompletionLink.maxBytes
        default: maxFieldBytes
        }
    }

    func validated() throws(APIError) -> Valid {
        let name = fields["pack_name"] ?? ""
        guard Self.isValidName(name) else { throw .badRequest("Invalid Pack Name") }
        guard let ageMin = Self.integer(fields["age_min"]), let ageMax = Self.integer(fields["age_max"]),
              (0...120).contains(ageMin), (0...120).contains(ageMax), ageMin <= ageMax else {
            throw .badRequest("Invalid Age Bound")
        }
        guard let sex = Self.integer(fields["sex"]), sex == 1 || sex == 2 else { throw .badRequest("Invalid Sex") }
        return Valid(name: name, sex: sex, ageMin: ageMin, ageMax: ageMax)
    }

    /// `^[a-z][a-z0-9_]*$`, shorter than 16: also a safe folder name and URL segment.
    static func isValidName(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard let first = bytes.first, bytes.count < 16, (0x61...0x7A).contains(first) else { return false }
        return bytes.allSatisfy { (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x5F }
    }

    private static func integer(_ text: String?) -> Int? {
        guard let text = text?.trimmingCharacters(in: .whitespaces), !text.isEmpty, text.count <= 4 else { return nil }
        guard text.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(text)
    }
}
