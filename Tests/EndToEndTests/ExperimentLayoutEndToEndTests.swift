import Foundation
import PsyxTestSupport
import XCTest

/// Which face a reply chose, through real Nginx (spec §3.2): the original client's requests exactly
/// as its `test.js`/`testing.js` send them, psyx's page with its `layout` marker and as it was
/// before the marker, and the submission-id and participant-number rules.
final class ExperimentLayoutEndToEndTests: EndToEndTestCase {
    /// jQuery's `contentType` in the original pages, space included.
    private static let originalContentType = "application/json; charset= utf-8"

    /// The original client: start, then 300 trials as `testing.js` runs them — `answers[i]` is
    /// `[key, rt, pairs[2i], pairs[2i+1]]` from the comma-joined `pic_pairs`, element 3 shown on the
    /// left (`#ori`, `imgboxleft`), element 2 on the right — and its submit (p_id a string, rt in
    /// seconds from whole milliseconds, `[" ", 3, …]` for a timeout, no submission id, no layout).
    /// The simulated participant always presses the key of the side showing the ori face, so every
    /// answered row of the CSV must say `chosen` = the ori file and `response` = 1.
    func testOriginalClientsRepliesAreReadAsItShowedThem() throws {
        let stack = try startStack()
        let client = ExperimentClient(stack: stack)
        XCTAssertEqual(try client.upload(PackFixture(name: "female20s", pairs: 300).body()).status, 200)

        let person = #"{"name":"홍길동","age":25,"sex":2,"no":"2020123456","phone":"010-1234-5678","email":"a@b.kr"}"#
        let started = try client.post("/api/reply/start", raw: Array(person.utf8), contentType: Self.originalContentType)
        XCTAssertEqual(started.status, 200, started.text)
        let start = try XCTUnwrap(started.json as? [String: Any])
        // testing.js reads the answer's values in order into sessionStorage 0, 1, 2.
        XCTAssertTrue(started.text.hasPrefix(#"{"p_id":1,"pack_path":"/packs/female20s","pic_pairs":["#), started.text)
        let stored = try XCTUnwrap(start["pic_pairs"] as? [[String]]).map { $0.joined(separator: ",") }.joined(separator: ",")
        let files = stored.split(separator: ",").map(String.init)
        XCTAssertEqual(files.count, 600)

        var trials: [String] = []
        var shownLeft: [String] = []
        var oriLeft = 0, oriRight = 0
        for index in 0..<300 {
            let (x, y) = (files[2 * index], files[2 * index + 1])
            // Trial 1 of testing.js shows element 2 on both sides (its own slip): left unanswered here.
            if index == 0 || index % 10 == 9 {
                trials.append(#"[" ",3,"\#(x)","\#(y)"]"#)
            } else {
                let left = y  // src_left = answers[i][3]
                let key = left.hasSuffix("_ori.jpg") ? "F" : "J"
                if key == "F" { oriLeft += 1 } else { oriRight += 1 }
                trials.append(#"["\#(key)",\#(Double(400 + index) / 1000),"\#(x)","\#(y)"]"#)
            }
            shownLeft.append(y)
        }
        XCTAssertGreaterThan(oriLeft, 0, "ori was never shown on the left")
        XCTAssertGreaterThan(oriRight, 0, "ori was never shown on the right")
        let submit = #"{"p_id":"1","name":"홍길동","age":25,"sex":2,"no":"2020123456","phone":"010-1234-5678","#
            + #""email":"a@b.kr","answers":[\#(trials.joined(separator: ","))]}"#
        let submitted = try client.post("/api/reply/submit", raw: Array(submit.utf8), contentType: Self.originalContentType)
        XCTAssertEqual(submitted.status, 200, submitted.text)
        XCTAssertEqual(submitted.text, "Reply Submitted.")

        let rows = try csvRows(client)
        XCTAssertEqual(rows.count, 300)
        for (index, row) in rows.enumerated() {
            let ori = files[2 * index].hasSuffix("_ori.jpg") ? files[2 * index] : files[2 * index + 1]
            XCTAssertEqual(row["left"], shownLeft[index], "trial \(index + 1)")
            let answered = !(index == 0 || index % 10 == 9)
            XCTAssertEqual(row["chosen"], answered ? ori : "", "trial \(index + 1)")
            XCTAssertEqual(row["response"], answered ? "1" : "", "trial \(index + 1)")
        }
        let reply = try XCTUnwrap((try download(client)["replies"] as? [[String: Any]])?.first)
        XCTAssertEqual(reply["layout"] as? String, "key,rt,right,left")
        XCTAssertEqual((reply["answers"] as? [[Any]])?.compactMap { $0[2] as? String }, stride(from: 0, to: 600, by: 2).map { files[$0] },
                       "answers as submitted")
    }

    /// Psyx's page with its marker, and as loaded before the marker existed (arrays, a submission
    /// id, no marker); a bad marker, a reused submission id and a number in another case are refused.
    func testPsyxPageFormsAndRefusals() throws {
        let stack = try startStack(environment: ["PSYX_PACK_SIZE": "4"])
        let client = ExperimentClient(stack: stack)
        XCTAssertEqual(try client.upload(PackFixture(name: "p", pairs: 4).body()).status, 200)
        let pairs = try client.start(ParticipantFixture(no: "A1")).pairs
        let marked = ParticipantFixture(no: "A1").submit(packID: 1, pairs: pairs, keys: ["F"], submissionID: "marked-0001")
        XCTAssertEqual(try client.post("/api/reply/submit", json: marked).text, "Reply Submitted.")
        let before = ParticipantFixture(no: "B2").submit(packID: 1, pairs: pairs, keys: ["J"],
                                                         submissionID: "0f8fad5b-d9cb-469f-a165-70867728950e", layout: nil)
        XCTAssertEqual(try client.post("/api/reply/submit", json: before).text, "Reply Submitted.")
        let rows = try csvRows(client)
        XCTAssertEqual(rows.map { $0["left"] ?? "" }, (pairs + pairs).map { $0[0] }, "pic_pairs[i][0] was on the left")
        XCTAssertEqual(rows.map { $0["chosen"] ?? "" }, pairs.map { $0[0] } + pairs.map { $0[1] }, "F left, J right")
        let replies = try XCTUnwrap(try download(client)["replies"] as? [[String: Any]])
        XCTAssertEqual(replies.map { $0["layout"] as? String }, ["key,rt,left,right", "key,rt,left,right"])

        let refusals: [([String: Any], String)] = [
            (ParticipantFixture(no: "C3").submit(packID: 1, pairs: pairs, layout: "sideways"), "Invalid Layout sideways"),
            (ParticipantFixture(no: "C3").submit(packID: 1, pairs: pairs, submissionID: "marked-0001"), "Submission ID Already Used"),
            (ParticipantFixture(no: "a1").submit(packID: 1, pairs: pairs, submissionID: "lower-0001"), "Already Participated"),
        ]
        for (body, sentence) in refusals {
            let answer = try client.post("/api/reply/submit", json: body)
            XCTAssertEqual(answer.status, 400, answer.text)
            XCTAssertEqual(ExperimentClient.sentence(answer), sentence)
        }
        let again = try client.post("/api/reply/start", json: ParticipantFixture(no: "b2").details)
        XCTAssertEqual(ExperimentClient.sentence(again), "Already Participated")
        XCTAssertEqual(try client.post("/api/reply/submit", json: marked).text, "Reply Submitted.", "a retry is still fine")
        XCTAssertEqual(try client.rowCounts(), "packs=1 pack_pairs=4 replies=2")
    }

    private func download(_ client: ExperimentClient) throws -> [String: Any] {
        let response = try client.admin("GET", "/api/admin/download?id=1")
        XCTAssertEqual(response.status, 200, response.text)
        return try XCTUnwrap(response.json as? [String: Any])
    }

    /// The CSV download's rows by column name (the test packs' names need no quoting).
    private func csvRows(_ client: ExperimentClient) throws -> [[String: String]] {
        let response = try client.admin("GET", "/api/admin/download?id=1&format=csv")
        XCTAssertEqual(response.status, 200, response.text)
        let lines = response.text.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let header = try XCTUnwrap(lines.first)
        return lines.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(header, $0)) }
    }
}
