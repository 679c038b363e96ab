import PsyxTestSupport
import XCTest
@testable import Psyx

/// Which face an answer chose (spec §3.2): the original client's `[key, rt, X, Y]` shows Y on the
/// left, psyx's page declares `layout`; the stored reply keeps its layout and every export reads
/// the sides with it. Also: a submission id is one reply's, a participant number is case-blind.
final class SubmitLayoutTests: XCTestCase {
    private var app: AppHarness!
    private var pairs: [[String]] = []

    override func setUpWithError() throws {
        app = try AppHarness(packSize: 4)
        XCTAssertEqual(app.upload(PackFixture(name: "p", pairs: 4).body()).status, 200)
        let start = try XCTUnwrap(try app.json("POST", "/api/reply/start", Participants.details()).json() as? [String: Any])
        pairs = try XCTUnwrap(start["pic_pairs"] as? [[String]])
    }

    override func tearDown() { app = nil }

    /// `layout` decided from a body's bytes as submit decodes them.
    private func layout(_ body: String) throws -> AnswerLayout {
        let decoded = try SubmitBody(bytes: Array(body.utf8))
        let id = try ExperimentRoutes.submissionID(decoded.members["submission_id"])
        return try AnswerLayout.ofSubmit(marker: decoded.members["layout"], submissionID: id)
    }

    func testLayoutIsReadFromTheBodyBytes() throws {
        let answers = #""answers":[["F",0.5,"a_00001_ori.jpg","a_00001_inv.jpg"]]"#
        XCTAssertEqual(try layout(#"{"p_id":"1",\#(answers)}"#), .rightLeft, "the original client: no marker, no id")
        XCTAssertEqual(try layout(#"{"p_id":1,\#(answers),"submission_id":"0f8fad5b-d9cb-469f-a165-70867728950e"}"#),
                       .leftRight, "psyx's page before the marker: always an id")
        XCTAssertEqual(try layout(#"{\#(answers),"layout":"key,rt,left,right"}"#), .leftRight)
        XCTAssertEqual(try layout(#"{\#(answers),"layout":"key,rt,right,left","submission_id":"abcdefgh"}"#), .rightLeft)
        XCTAssertEqual(try layout(#"{\#(answers),"layout":null}"#), .rightLeft)
        for bad in [#""left""#, #""KEY,RT,LEFT,RIGHT""#, #""key, rt, left, right""#, "1", "true", "[]", #"{"a":1}"#] {
            XCTAssertThrowsError(try layout(#"{\#(answers),"layout":\#(bad)}"#), bad) { error in
                guard case APIError.badRequest(let message) = error else { return XCTFail("\(error)") }
                XCTAssertTrue(message.hasPrefix("Invalid Layout"), message)
            }
        }
    }

    /// What the download says for the reply of `body`: its layout, and per trial the CSV's
    /// `left`, `chosen` and `response`.
    private func submitAndRead(_ body: [String: Any]) throws -> (layout: String?, rows: [[String]]) {
        XCTAssertEqual(app.json("POST", "/api/reply/submit", body).text, "Reply Submitted.")
        let pack = try XCTUnwrap(try app.call("GET", "/api/admin/download", query: "id=1").json() as? [String: Any])
        let reply = try XCTUnwrap((pack["replies"] as? [[String: Any]])?.last)
        XCTAssertEqual((reply["answers"] as? [[Any]])?.map { $0.dropFirst(2).compactMap { $0 as? String } }, pairs,
                       "answers shown as submitted")
        let csv = app.call("GET", "/api/admin/download", query: "id=1&format=csv").text
        let rows = csv.split(separator: "\n").suffix(pairs.count).map { line in
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            return [cells[9], cells[11], cells[13]]  // left, chosen, response
        }
        return (reply["layout"] as? String, rows)
    }

    func testEachFormChoosesTheFaceThatWasOnItsSide() throws {
        // Psyx's page: element 2 (pic_pairs[i][0]) on the left; F chose it.
        let page = try submitAndRead(Participants.submit(packID: 1, pairs: pairs, keys: ["F"]))
        XCTAssertEqual(page.layout, "key,rt,left,right")
        XCTAssertEqual(page.rows.map { $0[0] }, pairs.map { $0[0] })
        XCTAssertEqual(page.rows.map { $0[1] }, pairs.map { $0[0] })
        // The original client, same bytes but no marker and no id: element 3 was on the left; F chose it.
        let original = try submitAndRead(Participants.submit(packID: 1, pairs: pairs, keys: ["F"], no: "n2", layout: nil))
        XCTAssertEqual(original.layout, "key,rt,right,left")
        XCTAssertEqual(original.rows.map { $0[0] }, pairs.map { $0[1] })
        XCTAssertEqual(original.rows.map { $0[1] }, pairs.map { $0[1] })
        XCTAssertEqual(original.rows.map { $0[2] }, page.rows.map { $0[2] == "1" ? "-1" : "1" }, "opposite responses")
        // Psyx's page loaded before the marker existed: no marker, but its submission id.
        let before = try submitAndRead(Participants.submit(packID: 1, pairs: pairs, keys: ["J"], no: "n3",
                                                           submissionID: "0f8fad5b-d9cb-469f-a165-70867728950e", layout: nil))
        XCTAssertEqual(before.layout, "key,rt,left,right")
        XCTAssertEqual(before.rows.map { $0[1] }, pairs.map { $0[1] }, "J chose the right face, element 3")
    }

    func testUnknownLayoutIsRefusedAndNothingStored() {
        var body = Participants.submit(packID: 1, pairs: pairs)
        body["layout"] = "left,right"
        let answer = app.json("POST", "/api/reply/submit", body)
        XCTAssertEqual(answer.status, 400)
        XCTAssertEqual(answer.sentence, "Invalid Layout left,right")
        XCTAssertTrue(app.call("GET", "/api/admin/list").text.contains("\"count\":0"))
    }

    func testSubmissionIDOfAnotherParticipantIsRefused() throws {
        let first = Participants.submit(packID: 1, pairs: pairs, no: "S123", submissionID: "shared-id-0001")
        XCTAssertEqual(app.json("POST", "/api/reply/submit", first).text, "Reply Submitted.")
        let other = app.json("POST", "/api/reply/submit", Participants.submit(packID: 1, pairs: pairs, no: "n2", submissionID: "shared-id-0001"))
        XCTAssertEqual(other.status, 400, other.text)
        XCTAssertEqual(other.sentence, "Submission ID Already Used")
        XCTAssertEqual(app.json("POST", "/api/reply/start", Participants.details(no: "n2")).status, 200, "n2 has not replied")
        // The same participant retrying (the number in another case) is still the stored reply.
        let retry = Participants.submit(packID: 1, pairs: pairs, no: "s123", submissionID: "shared-id-0001")
        XCTAssertEqual(app.json("POST", "/api/reply/submit", retry).text, "Reply Submitted.")
        XCTAssertTrue(app.call("GET", "/api/admin/list").text.contains("\"count\":1"))
    }

    func testParticipantNumbersAreComparedWithoutCase() {
        XCTAssertEqual(app.json("POST", "/api/reply/submit", Participants.submit(packID: 1, pairs: pairs, no: "S123")).text,
                       "Reply Submitted.")
        XCTAssertEqual(app.json("POST", "/api/reply/start", Participants.details(no: "s123")).sentence, "Already Participated")
        let second = app.json("POST", "/api/reply/submit", Participants.submit(packID: 1, pairs: pairs, no: "s123"))
        XCTAssertEqual(second.status, 400)
        XCTAssertEqual(second.sentence, "Already Participated")
        XCTAssertTrue(app.call("GET", "/api/admin/list").text.contains("\"count\":1"))
        let download = app.call("GET", "/api/admin/download", query: "id=1").text
        XCTAssertTrue(download.contains(#""no":"S123""#), "stored as given")
    }
}
