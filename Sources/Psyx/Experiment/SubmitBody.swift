/// A submit's body decoded in one pass (spec §3.2): the members other than `answers` as JSON values
/// for the participant, pack and submission checks, and `answers` apart, usually as trials that
/// point into `bytes`.
struct SubmitBody {
    let bytes: [UInt8]
    /// Every member but `answers`; a repeated key keeps its last value, as in `JSONParser`.
    let members: [String: JSONValue]
    /// The last `answers` member; nil when there is none.
    let answers: SubmittedAnswers?

    /// Refuses exactly what `Participant.jsonObject(from:)` refuses: `Invalid Input` for a body that
    /// is not JSON, or is JSON but not an object.
    init(bytes: [UInt8]) throws(ParticipantError) {
        let decoded = bytes.withUnsafeBufferPointer { buffer in
            Result { () throws(JSONParseError) in try Self.decode(buffer) }
        }
        guard case .success(let document?) = decoded else { throw .invalidInput }
        self.bytes = bytes
        members = document.members
        answers = document.answers
    }

    /// The object's members, or nil when the document is some other value.
    private static func decode(
        _ buffer: UnsafeBufferPointer<UInt8>
    ) throws(JSONParseError) -> (members: [String: JSONValue], answers: SubmittedAnswers?)? {
        var parser = JSONParser(buffer)
        return try parser.document { parser throws(JSONParseError) in
            guard parser.bytes[parser.index] == UInt8(ascii: "{") else {
                _ = try parser.value()
                return nil
            }
            var members: [String: JSONValue] = [:]
            var answers: SubmittedAnswers?
            try parser.forEachMember { parser, key throws(JSONParseError) in
                if key == "answers" {
                    answers = try parser.answers()
                } else {
                    members[key] = try parser.value()
                }
            }
            return (members, answers)
        }
    }
}
