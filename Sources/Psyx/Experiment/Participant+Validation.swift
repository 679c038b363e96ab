import Foundation

/// Building a `Participant` from what a client sent, with the API's exact messages.
extension Participant {
    /// Validates a decoded JSON object (as from `jsonObject(from:)`).
    ///
    /// Fields are checked in the order name, email, no, sex, age, phone; the first
    /// failure is thrown. A missing field or a value of the wrong JSON type fails
    /// like a bad value of that field. `sex` and `age` take a whole JSON number or a
    /// string of digits (old form-based clients send `"25"`); booleans never pass.
    /// `no` also takes a non-negative whole number. Extra keys are ignored.
    public init(json object: [String: JSONValue]) throws(ParticipantError) {
        name = try Self.text(object, .name, Self.normalizedName)
        email = try Self.text(object, .email, Self.normalizedEmail)
        no = try Self.experimentNo(object)
        sex = try Self.integer(object, .sex, in: 1...2)
        age = try Self.integer(object, .age, in: 0...120)
        phone = try Self.text(object, .phone, Self.normalizedPhone)
    }

    /// Decodes a request body and validates it: `Invalid Input` when the body is
    /// not a JSON object, otherwise as `init(json:)`.
    public init(jsonBody body: Data) throws(ParticipantError) {
        try self.init(json: Self.jsonObject(from: body))
    }

    /// The body as a JSON object, or `ParticipantError.invalidInput`. For routes whose
    /// bodies carry more than the participant fields (submit) and decode once.
    /// Decoded by `JSONParser` (strict RFC 8259: a trailing comma is `Invalid Input`).
    public static func jsonObject(from body: some ContiguousBytes) throws(ParticipantError) -> [String: JSONValue] {
        let parsed = body.withUnsafeBytes { buffer in Result { () throws(JSONParseError) in try JSONParser.parse(buffer) } }
        guard case .success(.object(let object)) = parsed else {
            throw .invalidInput
        }
        return object
    }

    static func text(
        _ object: [String: JSONValue], _ field: ParticipantError.Field, _ rule: (String) -> String?
    ) throws(ParticipantError) -> String {
        let value = JSONFieldValue(object[field.key])
        guard case .string(let raw) = value, let normalized = rule(raw) else {
            throw .invalid(field, value)
        }
        return normalized
    }

    static func experimentNo(_ object: [String: JSONValue]) throws(ParticipantError) -> String {
        let value = JSONFieldValue(object[ParticipantError.Field.no.key])
        if case .number = value {
            guard let number = value.integer, number >= 0 else { throw .invalid(.no, value) }
            return String(number)
        }
        return try text(object, .no, normalizedExperimentNo)
    }

    static func integer(
        _ object: [String: JSONValue], _ field: ParticipantError.Field, in range: ClosedRange<Int>
    ) throws(ParticipantError) -> Int {
        let value = JSONFieldValue(object[field.key])
        guard let number = value.integer, range.contains(number) else {
            throw .invalid(field, value)
        }
        return number
    }
}
