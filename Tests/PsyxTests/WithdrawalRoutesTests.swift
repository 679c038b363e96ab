import Foundation
import PsyxTestSupport
import XCTest
@testable import Psyx

/// `POST /api/admin/withdraw[/preview]` through the responder: what goes, what the admin is shown
/// first, what the log keeps (no participant number), and every refusal changing nothing.
final class WithdrawalRoutesTests: XCTestCase {
    /// Two packs: women (1) with wd77001 and keep2, men (2) with WD77001.
    private func twoPacks() throws -> AppHarness {
        let app = try AppHarness(packSize: 3)
        XCTAssertEqual(app.upload(PackFixture(name: "women", pairs: 3).body()).status, 200)
        var men = PackFixture(name: "men", pairs: 3)
        men.sex = "1"
        XCTAssertEqual(app.upload(men.body()).status, 200)
        for (no, sex) in [("wd77001", 2), ("keep2", 2), ("WD77001", 1)] {
            let participant = ParticipantFixture(no: no, sex: sex)
            let start = try XCTUnwrap(try app.json("POST", "/api/reply/start", participant.details).json() as? [String: Any])
            let pairs = try XCTUnwrap(start["pic_pairs"] as? [[String]])
            let packID = try XCTUnwrap(start["p_id"] as? Int)
            XCTAssertEqual(app.json("POST", "/api/reply/submit", participant.submit(packID: packID, pairs: pairs)).status, 200)
        }
        return app
    }

    private func form(_ app: AppHarness, _ path: String, _ body: String, user: String = "admin") -> AppHarness.Answer {
        app.call("POST", path, body: Array(body.utf8), contentType: "application/x-www-form-urlencoded", user: user)
    }

    private func counts(_ app: AppHarness) throws -> [Int] {
        try XCTUnwrap(try app.call("GET", "/api/admin/list").json() as? [[String: Any]]).map { $0["count"] as? Int ?? -1 }
    }

    func testOneReplyByItsID() throws {
        let app = try twoPacks()
        XCTAssertEqual(try counts(app), [2, 1])
        let preview = app.call("POST", "/api/admin/withdraw/preview", query: "r_id=2")
        XCTAssertEqual(preview.header("Content-Type"), "application/json; charset=utf-8")
        XCTAssertEqual(preview.text, #"{"count":1,"packs":[{"p_id":1,"pack_name":"women","count":1}]}"#)
        XCTAssertEqual(try counts(app), [2, 1], "the preview deletes nothing")

        let done = app.call("POST", "/api/admin/withdraw", query: "r_id=2&expect=1")
        XCTAssertEqual(done.status, 200, done.text)
        XCTAssertEqual(done.text, "1 Reply Deleted.")
        XCTAssertEqual(try counts(app), [1, 1])
        let download = try XCTUnwrap(try app.call("GET", "/api/admin/download", query: "id=1").json() as? [String: Any])
        XCTAssertEqual((download["replies"] as? [[String: Any]])?.map { $0["r_id"] as? Int }, [1])
        XCTAssertEqual(download["count"] as? Int, 1)
        let csv = app.call("GET", "/api/admin/download", query: "id=1&format=csv").text.split(separator: "\n")
        XCTAssertEqual(csv.dropFirst().map { $0.split(separator: ",").first }, ["1", "1", "1"])
        XCTAssertEqual(app.call("POST", "/api/admin/withdraw", query: "r_id=2").sentence, "No Reply Found")
        // keep2 may take part again: start no longer remembers the reply.
        XCTAssertEqual(app.json("POST", "/api/reply/start", Participants.details(no: "KEEP2")).status, 200)
    }

    func testANumberInEveryPackWhateverTheCase() throws {
        let app = try twoPacks()
        XCTAssertEqual(app.json("POST", "/api/reply/start", Participants.details(no: "wd77001")).sentence, "Already Participated")
        let preview = form(app, "/api/admin/withdraw/preview", "no=Wd77001")
        XCTAssertEqual(preview.text, #"{"count":2,"packs":[{"p_id":1,"pack_name":"women","count":1},{"p_id":2,"pack_name":"men","count":1}]}"#)
        let done = form(app, "/api/admin/withdraw", "no=Wd77001&expect=2", user: "researcher")
        XCTAssertEqual(done.text, "2 Replies Deleted.")
        XCTAssertEqual(try counts(app), [1, 0])
        XCTAssertEqual(app.json("POST", "/api/reply/start", Participants.details(no: "wd77001")).status, 200, "the index followed")

        // The log: who, how many, which packs — and no participant number anywhere.
        let log = try String(contentsOfFile: app.directory + "/logs/api.log", encoding: .utf8)
        let notes = log.split(separator: "\n").filter { $0.contains("withdrew") }
        XCTAssertEqual(notes.count, 1, log)
        XCTAssertTrue(notes[0].hasSuffix("admin researcher withdrew 2 replies by participant number from pack 1 (women): 1, pack 2 (men): 1"),
                      String(notes[0]))
        XCTAssertTrue(log.contains("\tPOST\t/api/admin/withdraw\t200\t"), log)
        XCTAssertFalse(log.lowercased().contains("wd77001"), log)
    }

    /// A reply arriving or going between the confirmation and the deletion: nothing is deleted.
    func testAChangedCountSinceTheConfirmationDeletesNothing() throws {
        let app = try twoPacks()
        let refused = form(app, "/api/admin/withdraw", "no=wd77001&expect=1")
        XCTAssertEqual(refused.status, 400)
        XCTAssertEqual(refused.sentence, "Replies Changed: 2 Match Now, Not 1")
        XCTAssertEqual(try counts(app), [2, 1])
    }

    func testEveryBadRequestIsRefusedAndChangesNothing() throws {
        let app = try twoPacks()
        let cases: [(body: String, sentence: String)] = [
            ("", "Missing r_id or no"), ("r_id=", "Missing r_id"), ("r_id=1&no=keep2", "Both r_id and no Given"),
            ("r_id=abc", "Invalid r_id: abc"), ("r_id=-1", "Invalid r_id: -1"), ("r_id=99999999999999999999", "Invalid r_id: 99999999999999999999"),
            ("r_id=99", "No Reply Found"), ("r_id=0", "No Reply Found"), ("no=wd77009", "No Reply Found"),
            ("no=wd%2177009", "Invalid ExperimentNo.: wd!77009"), ("no=", "Invalid ExperimentNo.: "),
            ("r_id=1&expect=x", "Invalid expect: x"),
        ]
        for path in ["/api/admin/withdraw", "/api/admin/withdraw/preview"] {
            for (body, sentence) in cases {
                let answer = form(app, path, body)
                XCTAssertEqual(answer.status, 400, path + " " + body)
                XCTAssertEqual(answer.sentence, sentence, path + " " + body)
            }
            let json = app.call("POST", path, body: Array(#"{"r_id":1}"#.utf8), contentType: "application/json")
            XCTAssertEqual(json.sentence, "Expected an application/x-www-form-urlencoded body")
            XCTAssertEqual(app.call("GET", path, query: "r_id=1").status, 405)
            XCTAssertEqual(app.call("POST", path, query: "r_id=1", user: nil).status, 403)
        }
        XCTAssertEqual(app.call("POST", "/api/admin/withdraw", query: "r_id=1", headers: ["Sec-Fetch-Site": "cross-site"]).status, 403)
        XCTAssertEqual(app.call("POST", "/api/admin/withdraw", query: "r_id=1", headers: ["Sec-Fetch-Site": "same-site"]).status, 403)
        XCTAssertEqual(try counts(app), [2, 1])
        let log = try String(contentsOfFile: app.directory + "/logs/api.log", encoding: .utf8)
        XCTAssertFalse(log.contains("wd!77009") || log.contains("wd77009"), "a refused number stays out of the log")
        XCTAssertTrue(log.contains("Invalid ExperimentNo."), log)
    }
}
