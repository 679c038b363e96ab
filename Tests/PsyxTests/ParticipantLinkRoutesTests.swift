import Foundation
import PsyxTestSupport
import XCTest
@testable import Psyx

/// Start by pack name, recruitment IDs, consent, touch answers and the completion link through the
/// responder on a real SQLite file (PackSettings.md); every refusal stores nothing.
final class ParticipantLinkRoutesTests: XCTestCase {
    static let pid = "5f1a2b3c4d5e6f7a8b9c0d1e_extra-0123456789abcdefghijklmnopqrstuv"  // 64: longer than a typed number

    /// A pack asking only the name, with consent, touch, 2 s and a completion URL.
    func app(ask: String = "name", consent: String = "I agree.") throws -> AppHarness {
        let app = try AppHarness(packSize: 3)
        var pack = PackFixture(name: "prolific", pairs: 3)
        pack.extraFields = [("ask", ask), ("consent", consent), ("touch", "1"), ("time_limit", "2"),
                            ("completion_url", "https://x.org/done?p={PROLIFIC_PID}&s={SESSION_ID}&w={workerId}")]
        XCTAssertEqual(app.upload(pack.body()).status, 200)
        return app
    }

    func startBody(_ extra: [String: Any] = [:]) -> [String: Any] {
        var body: [String: Any] = ["pack": "prolific", "name": "홍길동", "sex": 2, "age": 25, "no": Self.pid,
                                   "recruitment": ["PROLIFIC_PID": Self.pid, "STUDY_ID": "st1", "SESSION_ID": "se-ss"]]
        body.merge(extra) { _, new in new }
        return body
    }

    func version(_ text: String) -> String { String(SHA256.hex(of: text.utf8).prefix(16)) }

    func now(_ offset: TimeInterval = 0) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: Date().addingTimeInterval(offset))
    }

    func submitBody(_ pairs: [[String]], _ extra: [String: Any] = [:]) -> [String: Any] {
        var body = startBody()
        body.removeValue(forKey: "pack")
        body["p_id"] = 1
        body["answers"] = pairs.map { ["F", 0.8, $0[0], $0[1]] }
        body["layout"] = ParticipantFixture.pageLayout
        body["submission_id"] = "sub-0001-abcdef"
        body["consent"] = ["at": now(), "version": version("I agree.")]
        body["input"] = "touch"
        body["email"] = "dropped@x.org"
        body.merge(extra) { _, new in new }
        return body
    }

    func testStartByPackTakesTheAskedFieldsAndThePlatformIDAsTheNumber() throws {
        let app = try app()
        let started = app.json("POST", "/api/reply/start", startBody())
        XCTAssertEqual(started.status, 200, started.text)
        let start = try XCTUnwrap(try started.json() as? [String: Any])
        XCTAssertEqual(start["time_limit"] as? Double, 2.0)
        XCTAssertEqual(start["touch"] as? Bool, true)
        XCTAssertEqual(start["consent_version"] as? String, version("I agree."))
        // The number may be left out: the platform ID is it.
        var noNumber = startBody()
        noNumber.removeValue(forKey: "no")
        XCTAssertEqual(app.json("POST", "/api/reply/start", noNumber).status, 200)

        let refusals: [([String: Any], String)] = [
            (["pack": "nope"], "Unknown Pack nope"), (["pack": 7], "Unknown Pack 7"),
            (["sex": 1], "No Suitable Pack for You"), (["age": 40], "No Suitable Pack for You"),
            (["name": "x"], "Invalid Name: x"), (["email": "bad"], "Invalid Email Address: bad"),
            (["recruitment": ["PROLIFIC_PID": "a b"]], "Invalid Recruitment ID: PROLIFIC_PID"),
            (["recruitment": ["other": "x"]], "Invalid Recruitment ID: other"),
            (["recruitment": "x"], "Invalid Recruitment ID: recruitment"),
            (["recruitment": [:] as [String: String], "no": "2020123456"], "Participant ID Required"),
            (["recruitment": ["STUDY_ID": "only"], "no": "2020123456"], "Participant ID Required"),
            (["recruitment": ["STUDY_ID": "only"]], "Invalid ExperimentNo.: \(Self.pid)"),
        ]
        for (change, sentence) in refusals {
            let answer = app.json("POST", "/api/reply/start", startBody(change))
            XCTAssertEqual(answer.status, 400, "\(change)")
            XCTAssertEqual(answer.sentence, sentence, "\(change)")
        }
        XCTAssertEqual(app.call("POST", "/api/admin/close", query: "id=1").status, 200)
        XCTAssertEqual(app.json("POST", "/api/reply/start", startBody()).sentence, "Pack Closed")
        XCTAssertEqual(app.json("POST", "/api/reply/start", Participants.details()).sentence, "No Suitable Pack for You")
        XCTAssertEqual(app.call("POST", "/api/admin/open", query: "id=1").status, 200)

        // The original flow matches the same pack; without a platform ID it needs one (the pack asks no number).
        XCTAssertEqual(app.json("POST", "/api/reply/start", Participants.details()).sentence, "Participant ID Required")
        var matched = Participants.details()
        matched["no"] = "w123"
        matched["recruitment"] = ["workerId": "w123", "assignmentId": "a1", "hitId": "h1"]
        XCTAssertEqual(app.json("POST", "/api/reply/start", matched).status, 200)
    }

    func testSubmitChecksConsentInputAndTheTimeLimitAndStoresWhatItRecords() throws {
        let app = try app()
        let start = try XCTUnwrap(try app.json("POST", "/api/reply/start", startBody()).json() as? [String: Any])
        let pairs = try XCTUnwrap(start["pic_pairs"] as? [[String]])
        let refusals: [([String: Any], String)] = [
            (["consent": NSNull()], "Consent Required"),
            (["consent": ["at": now(-8 * 24 * 3600), "version": version("I agree.")]], "Invalid Consent"),
            (["consent": ["at": now(600), "version": version("I agree.")]], "Invalid Consent"),
            (["consent": ["at": "2026-12-06T20:00:00+09:00", "version": version("I agree.")]], "Invalid Consent"),
            (["consent": ["at": now(), "version": "XYZ"]], "Invalid Consent"),
            (["consent": "yes"], "Invalid Consent"),
            (["input": "mouse"], "Invalid Input Method"),
            (["recruitment": ["PROLIFIC_PID": "bad id"]], "Invalid Recruitment ID: PROLIFIC_PID"),
            (["recruitment": NSNull(), "no": "2020123456"], "Participant ID Required"),
            (["answers": pairs.map { ["F", 2.6, $0[0], $0[1]] }], "Invalid Answer 1: reaction time out of range"),
        ]
        for (change, sentence) in refusals {
            let answer = app.json("POST", "/api/reply/submit", submitBody(pairs, change))
            XCTAssertEqual(answer.status, 400, "\(change)")
            XCTAssertEqual(answer.sentence, sentence, "\(change)")
        }
        var missingConsent = submitBody(pairs)
        missingConsent.removeValue(forKey: "consent")
        XCTAssertEqual(app.json("POST", "/api/reply/submit", missingConsent).sentence, "Consent Required")
        XCTAssertEqual(app.call("GET", "/api/reply/completion", query: "submission_id=sub-0001-abcdef", user: nil).sentence,
                       "Unknown Submission", "nothing stored yet")
        XCTAssertEqual(app.call("GET", "/api/admin/download", query: "id=1&format=csv").text.split(separator: "\n").count, 1)

        let earlier = version("An earlier text the page showed.")
        let accepted = app.json("POST", "/api/reply/submit", submitBody(pairs, [
            "consent": ["at": now(), "version": earlier], "answers": pairs.map { ["F", 2.5, $0[0], $0[1]] }]))
        XCTAssertEqual(accepted.status, 200, accepted.text)
        XCTAssertEqual(app.json("POST", "/api/reply/start", startBody()).sentence, "Already Participated", "the platform ID is the number")

        let download = try XCTUnwrap(try app.call("GET", "/api/admin/download", query: "id=1").json() as? [String: Any])
        let reply = try XCTUnwrap((download["replies"] as? [[String: Any]])?.first)
        XCTAssertEqual(reply["no"] as? String, Self.pid)
        XCTAssertEqual(reply["name"] as? String, "홍길동")
        XCTAssertEqual(reply["email"] as? String, "", "a detail the pack does not ask is stored empty")
        XCTAssertEqual(reply["phone"] as? String, "")
        XCTAssertEqual(reply["recruitment"] as? [String: String], ["PROLIFIC_PID": Self.pid, "STUDY_ID": "st1", "SESSION_ID": "se-ss"])
        XCTAssertEqual(reply["consent_version"] as? String, earlier, "stored as sent")
        XCTAssertNotNil(reply["consented_at"] as? String)
        XCTAssertEqual(reply["input"] as? String, "touch")

        let csv = app.call("GET", "/api/admin/download", query: "id=1&format=csv").text.split(separator: "\n").map(String.init)
        XCTAssertTrue(csv[0].hasSuffix(",response,platform_id,study_id,session_id,assignment_id,hit_id,consented_at,consent_version,input"))
        XCTAssertTrue(csv[1].hasSuffix(",\(Self.pid),st1,se-ss,,,\(reply["consented_at"] as? String ?? "?"),\(earlier),touch"), csv[1])
        let rcicr = app.call("GET", "/api/admin/download", query: "id=1&format=rcicr").text.split(separator: "\n")
        XCTAssertEqual(rcicr.first, "participant,r_id,trial,stimulus,response", "rcicr's format is unchanged")

        let completion = app.call("GET", "/api/reply/completion", query: "submission_id=sub-0001-abcdef", user: nil)
        XCTAssertEqual(completion.status, 200, completion.text)
        XCTAssertEqual(try completion.json() as? [String: String], ["url": "https://x.org/done?p=\(Self.pid)&s=se-ss&w="])
        for bad in ["", "short", "sub-unknown-1", "a%20b"] {
            XCTAssertEqual(app.call("GET", "/api/reply/completion", query: "submission_id=\(bad)", user: nil).sentence, "Unknown Submission")
        }

        // Withdrawal by participant number takes the platform ID.
        let withdrawn = app.call("POST", "/api/admin/withdraw", body: Array("no=\(Self.pid)".utf8), contentType: "application/x-www-form-urlencoded")
        XCTAssertEqual(withdrawn.status, 200, withdrawn.text)
        XCTAssertEqual((try app.call("GET", "/api/admin/list").json() as? [[String: Any]])?.first?["count"] as? Int, 0)
    }

    func testTouchOnAPackWithoutItAndTheCompletionCodeOrNothing() throws {
        let app = try AppHarness(packSize: 3)
        var pack = PackFixture(name: "plain", pairs: 3)
        pack.extraFields = [("completion_code", "CODE-1")]
        XCTAssertEqual(app.upload(pack.body()).status, 200)
        let start = try XCTUnwrap(try app.json("POST", "/api/reply/start", Participants.details()).json() as? [String: Any])
        let pairs = try XCTUnwrap(start["pic_pairs"] as? [[String]])
        var submit = Participants.submit(packID: 1, pairs: pairs, submissionID: "sub-plain-0001")
        submit["input"] = "touch"
        XCTAssertEqual(app.json("POST", "/api/reply/submit", submit).sentence, "Touch Not Allowed")
        submit["input"] = "keys"
        submit["consent"] = ["at": "whenever"]   // a pack without consent text ignores it
        XCTAssertEqual(app.json("POST", "/api/reply/submit", submit).status, 200)
        XCTAssertEqual(try app.call("GET", "/api/reply/completion", query: "submission_id=sub-plain-0001", user: nil).json() as? [String: String],
                       ["code": "CODE-1"])
        let reply = try XCTUnwrap(((try app.call("GET", "/api/admin/download", query: "id=1").json() as? [String: Any])?["replies"] as? [[String: Any]])?.first)
        XCTAssertEqual(reply["email"] as? String, "a@b.kr", "every detail kept for a pack that asks them all")
        XCTAssertTrue(reply["consented_at"] is NSNull)
        XCTAssertEqual(reply["recruitment"] as? [String: String], [:])
        XCTAssertEqual(reply["input"] as? String, "keys")

        XCTAssertEqual(app.call("POST", "/api/admin/settings", body: Array("id=1&completion_code=".utf8),
                                contentType: "application/x-www-form-urlencoded").status, 200)
        XCTAssertEqual(app.call("GET", "/api/reply/completion", query: "submission_id=sub-plain-0001", user: nil).text, "{}")
    }
}
