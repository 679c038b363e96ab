/// The details of a pack that asks only some of them (PackSettings.md), and the platform ID that
/// stands for the participant number.
extension Participant {
    /// As `init(json:)`, in the same order with the same messages, except that a detail `asked`
    /// lacks may be missing (or null, or empty) and one sent is still checked, then stored empty.
    /// A platform ID is the participant number: `no` may be missing or be the platform ID itself
    /// (up to 64 of `[A-Za-z0-9_-]`; anything else sent is checked, then replaced by it). A pack
    /// that does not ask `no` without a platform ID gets an empty number: the caller refuses that
    /// (`Participant ID Required`).
    init(json object: [String: JSONValue], asked: [PackSettings.Detail], platformID: String?) throws(ParticipantError) {
        func detail(_ field: ParticipantError.Field, _ asks: Bool, _ rule: (String) -> String?) throws(ParticipantError) -> String {
            if !asks && Self.isAbsent(object[field.key]) { return "" }
            let value = try Self.text(object, field, rule)
            return asks ? value : ""
        }
        name = try detail(.name, asked.contains(.name), Self.normalizedName)
        email = try detail(.email, asked.contains(.email), Self.normalizedEmail)
        if case .string(let text) = JSONFieldValue(object["no"]), text == platformID {
            no = text
        } else if Self.isAbsent(object["no"]) && (platformID != nil || !asked.contains(.no)) {
            no = platformID ?? ""
        } else {
            let checked = try Self.experimentNo(object)
            no = platformID ?? (asked.contains(.no) ? checked : "")
        }
        sex = try Self.integer(object, .sex, in: 1...2)
        age = try Self.integer(object, .age, in: 0...120)
        phone = try detail(.phone, asked.contains(.phone), Self.normalizedPhone)
    }

    /// Missing, null or an empty string: a detail the page did not ask.
    private static func isAbsent(_ value: JSONValue?) -> Bool {
        switch value {
        case nil, .null?: true
        case .string(let text)?: text.isEmpty
        default: false
        }
    }
}
