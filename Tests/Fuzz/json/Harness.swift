import FastCGI
import Foundation
@testable import Psyx

/// Fuzzes the JSON bodies of `/api/reply/start` and `/api/reply/submit`: the
/// real route functions over a store with two fixed small packs
/// (`JSONParser`, `JSONFieldValue`, `Participant` validation, `AnswerCheck`), plus the four
/// field rules on the raw text.
///
/// Beyond "no crash": a refusal is always an `APIError` 400 whose sentence is
/// short and printable, and whose log line names the field but never its value;
/// start accepts exactly the bodies `Participant(jsonBody:)` accepts and answers
/// the suitable pack's pairs, each once; an accepted submit stores one
/// canonical answer per pair; normalized values are fixed points of their rules;
/// `JSONParser` agrees with `JSONSerialization` wherever both accept the input;
/// submit's byte-level answers agree with the `JSONValue` path (`checkSubmitBody`).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let body = fuzzInput(data, size)
    let request = HTTPRequest(Request(params: ["REQUEST_METHOD": "POST", "CONTENT_TYPE": "application/json"],
                                      body: RequestBody(body)), id: "fuzz")

    // A body naming a pack or carrying recruitment IDs is checked by the pack's `ask` and the
    // platform ID (PackSettings.md), not by `Participant(jsonBody:)` alone: no claim on start then.
    let object = try? Participant.jsonObject(from: body)
    let participantRulesDecide = object.map { $0["pack"] == nil && $0["recruitment"] == nil } ?? true
    let participant: Participant?
    do throws(ParticipantError) {
        let valid = try Participant(jsonBody: Data(body))
        checkFixedPoint(valid)
        participant = valid
    } catch {
        participant = nil
    }

    do {
        let response = try routes.start(request)
        require(participant != nil || !participantRulesDecide, "start accepted a body Participant(jsonBody:) refuses")
        checkStartAnswer(response, sex: participant?.sex ?? 0)
    } catch {
        checkRefusal(error)
        require(participant == nil || !participantRulesDecide || body.count > ExperimentRoutes.maxStartBody,
                "start refused a valid participant: \(error)")
    }

    store.lastReply.withLock { $0 = nil }
    do {
        _ = try routes.submit(request)
        guard let reply = store.lastReply.withLock({ $0 }) else { return fail("submit answered 200 but stored nothing") }
        checkStoredReply(reply)
    } catch {
        checkRefusal(error)
        require(store.lastReply.withLock { $0 } == nil, "a refused submit stored a reply")
    }

    checkRules(String(decoding: body, as: UTF8.self))
    checkParser(body)
    checkSubmitBody(body)
    return 0
}

private let store = FixedPacks()
private let routes = ExperimentRoutes(store: store, data: DataDirectory("/nonexistent/psyx-fuzz"), packSize: 3,
                                      timeLimit: 3.0, log: RequestLog(directory: "/nonexistent/psyx-fuzz/logs"))

private func fail(_ message: String) -> CInt {
    require(false, message)
    return 0
}

/// What a refused request may look like: a 400 with a short printable sentence,
/// logged without the participant's values.
private func checkRefusal(_ error: any Error) {
    guard let apiError = error as? APIError else { return require(false, "threw \(type(of: error)): \(error)") }
    switch apiError {
    case .badRequest(let message):
        checkSentence(message)
    case .badPersonalInput(let message, let logMessage):
        checkSentence(message)
        let fieldOnly = ParticipantError.Field.allCases.map { "Invalid \($0.rawValue)" }
        require(fieldOnly.contains(logMessage), "log line carries more than the field: \(logMessage)")
    default:
        require(false, "refused with \(apiError.status), not 400: \(apiError)")
    }
}

private func checkSentence(_ message: String) {
    require(message.unicodeScalars.count <= 400, "a 400 sentence of \(message.unicodeScalars.count) scalars")
    require(!message.unicodeScalars.contains { $0.properties.generalCategory == .control }, "control character in a 400 sentence")
}

/// Start's answer: the pack of the participant's sex, its pairs each once in either order.
private func checkStartAnswer(_ response: Response, sex: Int) {
    guard case .bytes(let bytes) = response.body,
          let object = (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any],
          let id = object["p_id"] as? Int, let pack = FixedPacks.packs.first(where: { $0.id == Int64(id) }),
          let shown = object["pic_pairs"] as? [[String]]
    else { return require(false, "start answered something that is not its JSON") }
    require(pack.sex == sex, "start gave a pack of the other sex")
    require(object["pack_path"] as? String == "/packs/" + pack.name, "start gave a wrong pack path")
    let expected = Set(pack.pairs.map { [$0.ori, $0.inv].sorted() })
    require(shown.count == pack.pairs.count && Set(shown.map { $0.sorted() }) == expected, "start's pairs are not the pack's")
}

/// An accepted submit's stored reply: valid participant values and one canonical answer per pair.
private func checkStoredReply(_ reply: NewReply) {
    // A platform ID stands for the number (PackSettings.md): its own rule, the rest as ever.
    let typedNumber = Participant.normalizedExperimentNo(reply.no) != nil
    require(typedNumber || RecruitmentIDs.isValidValue(reply.no), "stored number \(reply.no) follows no rule")
    checkFixedPoint(Participant(name: reply.name, email: reply.email, no: typedNumber ? reply.no : "1", sex: reply.sex,
                                age: reply.age, phone: reply.phone))
    guard let pack = FixedPacks.packs.first(where: { $0.id == reply.packID }),
          let answers = (try? JSONSerialization.jsonObject(with: Data(reply.answers.utf8))) as? [[Any]]
    else { return require(false, "stored answers are not a JSON array of arrays") }
    require(pack.sex == reply.sex, "reply stored for a pack of the other sex")
    require(answers.count == pack.pairs.count, "stored \(answers.count) answers for \(pack.pairs.count) pairs")
    var pairs = Set<[String]>()
    for answer in answers {
        guard answer.count == 4, let key = answer[0] as? String, let time = answer[1] as? NSNumber,
              let left = answer[2] as? String, let right = answer[3] as? String
        else { return require(false, "a stored answer is not [key, rt, left, right]") }
        require(["F", "J", " "].contains(key), "stored key \(key)")
        require(time.doubleValue >= 0 && time.doubleValue <= 3.5, "stored reaction time \(time)")
        pairs.insert([left, right].sorted())
    }
    require(pairs == Set(pack.pairs.map { [$0.ori, $0.inv].sorted() }), "stored answers do not cover each pair once")
}

/// A participant built from already-normalized values validates to itself.
private func checkFixedPoint(_ participant: Participant) {
    let object: [String: JSONValue] = [
        "name": .string(participant.name), "email": .string(participant.email), "no": .string(participant.no),
        "sex": .number(participant.sex), "age": .number(participant.age), "phone": .string(participant.phone),
    ]
    do throws(ParticipantError) {
        let again = try Participant(json: object)
        require(again == participant, "normalizing a normalized participant changed it")
    } catch {
        require(false, "a normalized participant is refused: \(error.loggableMessage)")
    }
}

/// Each field rule on raw text: what it accepts is a fixed point.
private func checkRules(_ text: String) {
    let rules: [(String, (String) -> String?)] = [
        ("name", Participant.normalizedName), ("email", Participant.normalizedEmail),
        ("no", Participant.normalizedExperimentNo), ("phone", Participant.normalizedPhone),
    ]
    for (label, rule) in rules {
        guard let value = rule(text) else { continue }
        require(rule(value) == value, "\(label) rule is not idempotent")
    }
}
