import FastCGI
import Foundation

/// Participants' routes (spec §3.2): get a pack, then submit the answers.
extension ExperimentRoutes {
    static let maxStartBody = 16 * 1024
    static let maxSubmitBody = 4 << 20

    /// Without `pack`: the original matching (every detail asked). With `"pack": NAME`: that pack,
    /// its `ask` fields only (PackSettings.md). Both answer from memory (the store's pack cache).
    func start(_ request: HTTPRequest) throws -> Response {
        let object = try Self.jsonObject(request, limit: Self.maxStartBody)
        let named = try namedPack(object["pack"])
        let recruitment = try RecruitmentIDs(json: object["recruitment"])
        let participant = try Self.participant(object, asked: named?.settings.ask ?? PackSettings.Detail.allCases,
                                               platformID: recruitment.platformID)
        let hold = try Self.holdToken(object["hold"])
        let pack: Pack
        if let named {
            try Self.requireParticipantID(named, recruitment)
            guard named.open else { throw APIError.badRequest("Pack Closed") }
            guard participant.sex == named.sex, (named.ageMin...named.ageMax).contains(participant.age) else {
                throw APIError.badRequest("No Suitable Pack for You")
            }
            pack = named
        } else {
            guard let suitable = try store.suitablePack(sex: participant.sex, age: participant.age) else {
                throw APIError.badRequest("No Suitable Pack for You")
            }
            try Self.requireParticipantID(suitable, recruitment)
            pack = suitable
        }
        if try store.hasReply(packID: pack.id, participantNo: participant.no) {
            throw APIError.badRequest("Already Participated")
        }
        let answer = startAnswer(for: pack)
        return try holdingNumber(participant.no, of: pack, for: hold) { .json(answer.render()) }
    }

    /// The pack's start answer, cached per pack and made again when its settings change.
    func startAnswer(for pack: Pack) -> StartAnswer {
        startAnswers.value(for: pack, isCurrent: { $0.settings == pack.settings }) {
            StartAnswer(pack: $0, timeLimit: $0.settings.effectiveTimeLimit(default: timeLimit))
        }
    }

    /// The pack a start's `pack` member names; nil when there is none. `Unknown Pack NAME` otherwise.
    func namedPack(_ value: JSONValue?) throws -> Pack? {
        switch JSONFieldValue(value) {
        case .missing, .null:
            return nil
        case .string(let name) where PackForm.isValidName(name):
            guard let pack = try store.pack(named: name) else { throw APIError.badRequest(Self.sentence("Unknown Pack", name)) }
            return pack
        case let other:
            throw APIError.badRequest(Self.sentence("Unknown Pack", other.displayText))
        }
    }

    /// A pack that does not ask for a participant number takes the platform ID as its number.
    static func requireParticipantID(_ pack: Pack, _ recruitment: RecruitmentIDs) throws {
        if !pack.settings.asks(.no) && recruitment.platformID == nil {
            throw APIError.badRequest("Participant ID Required")
        }
    }

    func submit(_ request: HTTPRequest) throws -> Response {
        let body = try Self.submitBody(request)
        let object = body.members
        let rawID = JSONFieldValue(object["p_id"])
        guard let packID = rawID.integer, packID > 0, let pack = try store.pack(id: Int64(packID)) else {
            throw APIError.badRequest(Self.sentence("Unknown Pack", rawID.displayText))
        }
        let settings = pack.settings
        let recruitment = try RecruitmentIDs(json: object["recruitment"])
        let participant = try Self.participant(object, asked: settings.ask, platformID: recruitment.platformID)
        try Self.requireParticipantID(pack, recruitment)
        guard participant.sex == pack.sex, (pack.ageMin...pack.ageMax).contains(participant.age) else {
            throw APIError.badRequest("Participant Does Not Fit Pack \(pack.id)")
        }
        let submissionID = try Self.submissionID(object["submission_id"])
        let layout = try AnswerLayout.ofSubmit(marker: object["layout"], submissionID: submissionID)
        let consent = try ConsentRecord(object["consent"], settings: settings, now: Date())
        let input = try Self.input(object["input"], settings: settings)
        let files = packFiles.value(for: pack, make: PackFiles.init)
        let limit = settings.effectiveTimeLimit(default: timeLimit)
        let answers = try AnswerCheck(pack: pack, files: files, timeLimit: limit).canonicalJSON(body.answers, in: body.bytes)
        let reply = NewReply(packID: pack.id, name: participant.name, email: participant.email, no: participant.no,
                             sex: participant.sex, age: participant.age, phone: participant.phone,
                             answers: answers, layout: layout, submissionID: submissionID, recruitment: recruitment.json,
                             consentedAt: consent?.at, consentVersion: consent?.version, input: input)
        switch try store.insertReply(reply) {
        case .inserted, .alreadyStored: return .text("Reply Submitted.")
        case .submissionIDTaken: throw APIError.badRequest("Submission ID Already Used")
        case .alreadyParticipated: throw APIError.badRequest("Already Participated")
        case .unknownPack: throw APIError.badRequest("Unknown Pack \(pack.id)")
        }
    }

    /// `"keys"` (also when missing) or `"touch"`, which only a pack with touch takes.
    static func input(_ value: JSONValue?, settings: PackSettings) throws -> String {
        switch JSONFieldValue(value) {
        case .missing, .null: return "keys"
        case .string("keys"): return "keys"
        case .string("touch"):
            guard settings.touch else { throw APIError.badRequest("Touch Not Allowed") }
            return "touch"
        default: throw APIError.badRequest("Invalid Input Method")
        }
    }

    static func jsonObject(_ request: HTTPRequest, limit: Int) throws -> [String: JSONValue] {
        let bytes: [UInt8]
        do { bytes = try request.body.bytes(limit: limit) } catch RequestBodyError.tooLarge {
            throw APIError.badRequest("Invalid Input")
        }
        do { return try Participant.jsonObject(from: bytes) } catch { throw APIError.badRequest(error.loggableMessage) }
    }

    /// As `jsonObject`, with `answers` read straight from the bytes (see `SubmitBody`).
    static func submitBody(_ request: HTTPRequest) throws -> SubmitBody {
        let bytes: [UInt8]
        do { bytes = try request.body.bytes(limit: maxSubmitBody) } catch RequestBodyError.tooLarge {
            throw APIError.badRequest("Invalid Input")
        }
        do { return try SubmitBody(bytes: bytes) } catch { throw APIError.badRequest(error.loggableMessage) }
    }

    static func participant(_ object: [String: JSONValue], asked: [PackSettings.Detail] = PackSettings.Detail.allCases,
                            platformID: String? = nil) throws -> Participant {
        do { return try Participant(json: object, asked: asked, platformID: platformID) } catch {
            throw APIError.badPersonalInput(error.message, logMessage: error.loggableMessage)
        }
    }

    /// Optional; 8–64 letters, digits and `-`: makes a retried submit safe.
    static func submissionID(_ value: JSONValue?) throws -> String? {
        switch JSONFieldValue(value) {
        case .missing, .null: return nil
        case .string(let text) where (8...64).contains(text.utf8.count)
            && text.utf8.allSatisfy({ $0 == 0x2D || (0x30...0x39).contains($0) || (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) }):
            return text
        default: throw APIError.badRequest("Invalid Submission ID")
        }
    }
}
