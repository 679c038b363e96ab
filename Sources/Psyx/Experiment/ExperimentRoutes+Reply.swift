import FastCGI
import Foundation

/// Participants' routes (spec §3.2): get a pack, then submit the answers.
extension ExperimentRoutes {
    static let maxStartBody = 16 * 1024
    static let maxSubmitBody = 4 << 20

    func start(_ request: HTTPRequest) throws -> Response {
        let object = try Self.jsonObject(request, limit: Self.maxStartBody)
        let participant = try Self.participant(object)
        let hold = try Self.holdToken(object["hold"])
        guard let pack = try store.suitablePack(sex: participant.sex, age: participant.age) else {
            throw APIError.badRequest("No Suitable Pack for You")
        }
        if try store.hasReply(packID: pack.id, participantNo: participant.no) {
            throw APIError.badRequest("Already Participated")
        }
        let answer = startAnswers.value(for: pack) { StartAnswer(pack: $0, timeLimit: timeLimit) }
        return try holdingNumber(participant.no, of: pack, for: hold) { .json(answer.render()) }
    }

    func submit(_ request: HTTPRequest) throws -> Response {
        let body = try Self.submitBody(request)
        let object = body.members
        let rawID = JSONFieldValue(object["p_id"])
        guard let packID = rawID.integer, packID > 0, let pack = try store.pack(id: Int64(packID)) else {
            throw APIError.badRequest(Self.sentence("Unknown Pack", rawID.displayText))
        }
        let participant = try Self.participant(object)
        guard participant.sex == pack.sex, (pack.ageMin...pack.ageMax).contains(participant.age) else {
            throw APIError.badRequest("Participant Does Not Fit Pack \(pack.id)")
        }
        let submissionID = try Self.submissionID(object["submission_id"])
        let layout = try AnswerLayout.ofSubmit(marker: object["layout"], submissionID: submissionID)
        let files = packFiles.value(for: pack, make: PackFiles.init)
        let answers = try AnswerCheck(pack: pack, files: files, timeLimit: timeLimit).canonicalJSON(body.answers, in: body.bytes)
        let reply = NewReply(packID: pack.id, name: participant.name, email: participant.email, no: participant.no,
                             sex: participant.sex, age: participant.age, phone: participant.phone,
                             answers: answers, layout: layout, submissionID: submissionID)
        switch try store.insertReply(reply) {
        case .inserted, .alreadyStored: return .text("Reply Submitted.")
        case .submissionIDTaken: throw APIError.badRequest("Submission ID Already Used")
        case .alreadyParticipated: throw APIError.badRequest("Already Participated")
        case .unknownPack: throw APIError.badRequest("Unknown Pack \(pack.id)")
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

    static func participant(_ object: [String: JSONValue]) throws -> Participant {
        do { return try Participant(json: object) } catch {
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
