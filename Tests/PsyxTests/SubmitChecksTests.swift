import PsyxTestSupport
import XCTest

/// Refusals of start and submit (spec §3.2): the message, and that no reply was stored.
final class SubmitChecksTests: XCTestCase {
    private var app: AppHarness!
    private var pairs: [[String]] = []

    override func setUpWithError() throws {
        app = try AppHarness(packSize: 3)
        XCTAssertEqual(app.upload(PackFixture(name: "p", pairs: 3).body()).status, 200)
        let start = try XCTUnwrap(try app.json("POST", "/api/reply/start", Participants.details()).json() as? [String: Any])
        pairs = try XCTUnwrap(start["pic_pairs"] as? [[String]])
    }

    override func tearDown() { app = nil }

    private func assertRefused(_ body: [String: Any], _ message: String, line: UInt = #line) {
        let answer = app.json("POST", "/api/reply/submit", body)
        XCTAssertEqual(answer.status, 400, answer.text, line: line)
        XCTAssertEqual(answer.sentence, message, line: line)
        XCTAssertTrue(app.call("GET", "/api/admin/list").text.contains("\"count\":0"), line: line)
    }

    private func submit(answers transform: ([[Any]]) -> [Any]) -> [String: Any] {
        var body = Participants.submit(packID: 1, pairs: pairs)
        body["answers"] = transform(body["answers"] as? [[Any]] ?? [])
        return body
    }

    func testAnswerChecks() {
        assertRefused(submit { Array($0.dropLast()) }, "Invalid Answers: expected 3 trials, got 2")
        assertRefused(submit { $0 + [$0[0]] }, "Invalid Answers: expected 3 trials, got 4")
        assertRefused(submit { var a = $0; a[2] = a[0]; return a }, "Invalid Answer 3: pair shown twice")
        assertRefused(submit { var a = $0; a[1][2] = a[1][3]; return a }, "Invalid Answer 2: not a pair of this pack")
        assertRefused(submit { var a = $0; a[0][2] = "../x_00001_ori.jpg"; return a }, "Invalid Answer 1: not a pair of this pack")
        assertRefused(submit { var a = $0; a[1][3] = self.pairs[0][1]; return a }, "Invalid Answer 2: not a pair of this pack")
        assertRefused(submit { var a = $0; a[0][1] = 3.51; return a }, "Invalid Answer 1: reaction time out of range")
        assertRefused(submit { var a = $0; a[0][1] = -0.1; return a }, "Invalid Answer 1: reaction time out of range")
        assertRefused(submit { var a = $0; a[0][1] = "0.5"; return a }, "Invalid Answer 1: reaction time out of range")
        assertRefused(submit { var a = $0; a[0][0] = "K"; return a }, "Invalid Answer 1: key must be F, J or a space")
        assertRefused(submit { var a = $0; a[0][0] = true; return a }, "Invalid Answer 1: key must be F, J or a space")
        assertRefused(submit { var a = $0; a[0] = ["F", 0.5]; return a }, "Invalid Answer 1: expected [key, rt, left, right]")
        assertRefused(submit { _ in [] }, "Invalid Answers: expected 3 trials, got 0")
        var notList = Participants.submit(packID: 1, pairs: pairs)
        notList["answers"] = "F,J"
        assertRefused(notList, "Invalid Answers")
    }

    func testParticipantAndPackChecks() {
        assertRefused(Participants.submit(packID: 9, pairs: pairs), "Unknown Pack 9")
        assertRefused(Participants.submit(packID: 1, pairs: pairs, age: 45), "Participant Does Not Fit Pack 1")
        var badName = Participants.submit(packID: 1, pairs: pairs)
        badName["name"] = "홍"
        assertRefused(badName, "Invalid Name: 홍")
        assertRefused(Participants.submit(packID: 1, pairs: pairs, submissionID: "short"), "Invalid Submission ID")
        var lower = Participants.submit(packID: 1, pairs: pairs, keys: ["f", "j"])
        lower["submission_id"] = "lower-case-keys"
        XCTAssertEqual(app.json("POST", "/api/reply/submit", lower).text, "Reply Submitted.")
        XCTAssertTrue(app.call("GET", "/api/admin/download", query: "id=1").text.contains(#"[["F","#))
    }

    func testStartRefusals() {
        XCTAssertEqual(app.json("POST", "/api/reply/start", Participants.details(age: 50)).sentence, "No Suitable Pack for You")
        XCTAssertEqual(app.json("POST", "/api/reply/start", Participants.details(sex: 1)).sentence, "No Suitable Pack for You")
        for body in ["", "[]", "{", "null", "\"x\"", "{\"name\": 1"] {
            let answer = app.call("POST", "/api/reply/start", body: Array(body.utf8), contentType: "application/json", user: nil)
            XCTAssertEqual(answer.status, 400, body)
            XCTAssertEqual(answer.sentence, "Invalid Input", body)
        }
        let huge = Array(repeating: UInt8(ascii: " "), count: 100_000)
        XCTAssertEqual(app.call("POST", "/api/reply/start", body: huge, user: nil).sentence, "Invalid Input")
    }
}
