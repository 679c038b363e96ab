@testable import Psyx

/// Submit's byte-level reading of `answers` (`SubmitBody`, `AnswerCheck.canonicalJSON(_:in:)`)
/// against the `JSONValue` path it replaced, for both fixed packs: the same refusal, or the same
/// members and the same stored text or message.
func checkSubmitBody(_ body: [UInt8]) {
    let old = Result { () throws(ParticipantError) in try Participant.jsonObject(from: body) }
    let new = Result { () throws(ParticipantError) in try SubmitBody(bytes: body) }
    switch (old, new) {
    case (.failure(let oldError), .failure(let newError)):
        require(oldError == newError, "SubmitBody refused differently: \(newError) for \(oldError)")
    case (.success(let object), .success(let parsed)):
        var members = object
        members["answers"] = nil
        require(parsed.members == members, "SubmitBody's members differ from the decoded object's")
        for pack in FixedPacks.packs {
            let check = AnswerCheck(pack: pack, timeLimit: 3.0)
            let oldAnswers = Result { () throws(APIError) in try check.canonicalJSON(object["answers"]) }
            let newAnswers = Result { () throws(APIError) in try check.canonicalJSON(parsed.answers, in: parsed.bytes) }
            require(oldAnswers == newAnswers, "answers checked differently: \(newAnswers) for \(oldAnswers)")
        }
    default:
        require(false, "SubmitBody and Participant.jsonObject disagree on accepting the body")
    }
}
