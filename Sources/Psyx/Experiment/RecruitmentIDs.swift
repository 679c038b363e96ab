/// The recruitment platform's IDs a participant link carried (PackSettings.md): Prolific's
/// `PROLIFIC_PID`, `STUDY_ID`, `SESSION_ID`, SONA's `id` and `survey_code`, MTurk's `workerId`,
/// `assignmentId`, `hitId`, and a generic `pid`. Each 1–64 of `[A-Za-z0-9_-]`, so a value is safe
/// in a URL, a CSV cell and a log line alike.
public struct RecruitmentIDs: Equatable, Sendable {
    /// Every known key, in the order they are stored and exported.
    public static let keys = ["PROLIFIC_PID", "STUDY_ID", "SESSION_ID", "id", "survey_code", "workerId",
                              "assignmentId", "hitId", "pid"]
    /// The keys whose value is the participant's platform ID, the first present wins.
    static let platformKeys = ["PROLIFIC_PID", "workerId", "survey_code", "id", "pid"]

    public private(set) var values: [String: String] = [:]

    public init() {}

    public init(values: [String: String]) {
        self.values = values
    }

    public subscript(key: String) -> String? { values[key] }

    public var isEmpty: Bool { values.isEmpty }

    /// The platform ID: it *is* the participant number when present.
    public var platformID: String? {
        Self.platformKeys.lazy.compactMap { values[$0] }.first
    }

    /// From a start or submit body's `recruitment` member: missing or null is none; anything but an
    /// object of known keys with valid string values is `Invalid Recruitment ID: KEY`.
    init(json value: JSONValue?) throws(APIError) {
        switch value {
        case nil, .null?:
            return
        case .object(let members)?:
            for key in members.keys.sorted() {
                guard Self.keys.contains(key), case .string(let text)? = members[key], Self.isValidValue(text) else {
                    throw .badRequest("Invalid Recruitment ID: \(Self.shown(key))")
                }
                values[key] = text
            }
        default:
            throw .badRequest("Invalid Recruitment ID: recruitment")
        }
    }

    /// As stored (`replies.recruitment`): whatever is not a known key with a valid value is left out.
    init(storedJSON text: String) {
        guard let object = (try? JSONParser.parse(text))?.objectValue else { return }
        for key in Self.keys {
            if let value = object[key]?.stringValue, Self.isValidValue(value) { values[key] = value }
        }
    }

    /// `{"PROLIFIC_PID":"…",…}` in `keys` order; `{}` when none.
    public var json: String {
        var out: [UInt8] = []
        appendJSON(to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    func appendJSON(to out: inout [UInt8]) {
        out.append(0x7B)
        var first = true
        for key in Self.keys {
            guard let value = values[key] else { continue }
            if !first { out.append(0x2C) }
            first = false
            JSONText.appendKey(key, to: &out)
            JSONText.appendString(value, to: &out)
        }
        out.append(0x7D)
    }

    /// 1–64 of `[A-Za-z0-9_-]`.
    public static func isValidValue(_ text: String) -> Bool {
        (1...64).contains(text.utf8.count) && text.utf8.allSatisfy(isIDByte)
    }

    static func isIDByte(_ byte: UInt8) -> Bool {
        byte == 0x2D || byte == 0x5F || (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
    }

    /// A key as a 400 may show it: short, and only when it is made of ID characters.
    private static func shown(_ key: String) -> String {
        let cut = String(key.prefix(32))
        return cut.utf8.allSatisfy(isIDByte) ? cut : "?"
    }
}
