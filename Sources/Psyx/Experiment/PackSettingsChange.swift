import Foundation

/// The settings fields of a create form or a settings form, each checked with the contract's 400
/// (PackSettings.md); a field left out is nil and changes nothing. Checked in the contract's table
/// order, the first bad field refused.
public struct PackSettingsChange: Equatable, Sendable {
    public var ask: [PackSettings.Detail]?
    public var questionKo: String?
    public var questionEn: String?
    /// `.some(nil)`: back to the server's limit (an empty field).
    public var timeLimit: Double??
    public var touch: Bool?
    public var consent: String?
    public var completionURL: String?
    public var completionCode: String?

    public init() {}

    /// The form's field names, in the order they are checked.
    public static let fieldNames = ["ask", "question_ko", "question_en", "time_limit", "touch", "consent",
                                    "completion_url", "completion_code"]

    public init(fields: [String: String]) throws(APIError) {
        if let raw = fields["ask"] {
            guard let ask = Self.ask(raw) else { throw .badRequest("Invalid Fields") }
            self.ask = ask
        }
        for (key, path) in [("question_ko", \PackSettingsChange.questionKo), ("question_en", \PackSettingsChange.questionEn)] {
            guard let raw = fields[key] else { continue }
            guard Self.isValidQuestion(raw) else { throw .badRequest("Invalid Question") }
            self[keyPath: path] = raw
        }
        if let raw = fields["time_limit"] {
            guard let limit = Self.timeLimit(raw) else { throw .badRequest("Invalid Time Limit") }
            timeLimit = .some(limit)
        }
        if let raw = fields["touch"] {
            guard raw == "1" || raw == "0" else { throw .badRequest("Invalid Touch Setting") }
            touch = raw == "1"
        }
        if let raw = fields["consent"] {
            guard let consent = Self.consentText(raw) else { throw .badRequest("Invalid Consent Text") }
            self.consent = consent
        }
        if let raw = fields["completion_url"] {
            guard CompletionLink.isValid(raw) else { throw .badRequest("Invalid Completion URL") }
            completionURL = raw
        }
        if let raw = fields["completion_code"] {
            guard raw.isEmpty || RecruitmentIDs.isValidValue(raw) else { throw .badRequest("Invalid Completion Code") }
            completionCode = raw
        }
    }

    /// `settings` with every given field replaced.
    public func applied(to settings: PackSettings) -> PackSettings {
        var result = settings
        if let ask { result.ask = ask }
        if let questionKo { result.questionKo = questionKo }
        if let questionEn { result.questionEn = questionEn }
        if let timeLimit { result.timeLimit = timeLimit }
        if let touch { result.touch = touch }
        if let consent { result.consent = consent }
        if let completionURL { result.completionURL = completionURL }
        if let completionCode { result.completionCode = completionCode }
        return result
    }

    /// A comma list of `name,email,no,phone` (spaces around items ignored, repeats once); empty: none.
    static func ask(_ raw: String) -> [PackSettings.Detail]? {
        var chosen = Set<PackSettings.Detail>()
        for item in raw.split(separator: ",", omittingEmptySubsequences: false) {
            let name = item.trimmingCharacters(in: .whitespaces)
            if name.isEmpty && raw.trimmingCharacters(in: .whitespaces).isEmpty { continue }
            guard let detail = PackSettings.Detail(rawValue: name) else { return nil }
            chosen.insert(detail)
        }
        return PackSettings.Detail.allCases.filter(chosen.contains)
    }

    /// Empty (the page's default), or 1–200 characters without control characters.
    static func isValidQuestion(_ raw: String) -> Bool {
        raw.count <= 200 && !raw.unicodeScalars.contains(where: isControl)
    }

    /// Seconds, 0.5…60, at most one decimal (`3`, `2.5`); empty: nil (the server's limit).
    static func timeLimit(_ raw: String) -> Double?? {
        if raw.isEmpty { return .some(nil) }
        let parts = raw.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let whole = parts.first, (1...2).contains(whole.count),
              whole.allSatisfy({ $0.isASCII && $0.isNumber }),
              parts.count == 1 || (parts[1].count == 1 && parts[1].allSatisfy({ $0.isASCII && $0.isNumber })),
              let value = Double(raw), value >= 0.5, value <= 60 else { return nil }
        return .some(value)
    }

    /// Line ends as the page shows them (a browser sends a textarea's as CR LF), at most 20,000
    /// bytes, newlines and tabs the only control characters.
    static func consentText(_ raw: String) -> String? {
        let text = raw.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        guard text.utf8.count <= 20_000,
              !text.unicodeScalars.contains(where: { $0 != "\n" && $0 != "\t" && isControl($0) }) else { return nil }
        return text
    }

    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .control, .lineSeparator, .paragraphSeparator: true
        default: false
        }
    }
}
