import Foundation
import PsyxTestSupport
import XCTest
@testable import Psyx

/// `POST /api/admin/close` and `/open` through the responder: start follows at once, a participant
/// who started before the close still submits, bad requests change nothing.
final class PackStateRoutesTests: XCTestCase {
    func testAClosedPackGetsNoNewParticipantButTakesTheRepliesOfThoseWhoStarted() throws {
        let app = try AppHarness(packSize: 3)
        XCTAssertEqual(app.upload(PackFixture(name: "women", pairs: 3).body()).status, 200)
        XCTAssertTrue(app.call("GET", "/api/admin/list").text.contains(#""count":0,"open":true,"settings":"#), "the list is cached now")
        let early = try XCTUnwrap(try app.json("POST", "/api/reply/start", Participants.details(no: "early1")).json() as? [String: Any])

        let closed = app.call("POST", "/api/admin/close", query: "id=1")
        XCTAssertEqual(closed.status, 200, closed.text)
        XCTAssertEqual(closed.text, "Pack 1 Closed.")
        XCTAssertEqual(closed.header("Content-Type"), "text/plain; charset=utf-8")
        let list = try XCTUnwrap(try app.call("GET", "/api/admin/list").json() as? [[String: Any]])
        XCTAssertEqual(list[0]["open"] as? Bool, false)
        XCTAssertEqual(list[0]["count"] as? Int, 0, "the other fields as they were")
        XCTAssertEqual(app.json("POST", "/api/reply/start", Participants.details(no: "late1")).sentence, "No Suitable Pack for You")

        let pairs = try XCTUnwrap(early["pic_pairs"] as? [[String]])
        let submitted = app.json("POST", "/api/reply/submit", Participants.submit(packID: 1, pairs: pairs, no: "early1"))
        XCTAssertEqual(submitted.text, "Reply Submitted.")
        XCTAssertEqual(app.call("POST", "/api/admin/close", query: "id=1").text, "Pack 1 Closed.", "closing twice is fine")

        XCTAssertEqual(app.call("POST", "/api/admin/open", query: "id=1").text, "Pack 1 Opened.")
        XCTAssertTrue(app.call("GET", "/api/admin/list").text.contains(#""count":1,"open":true,"settings":"#))
        XCTAssertEqual(app.json("POST", "/api/reply/start", Participants.details(no: "late1")).status, 200)
    }

    func testReopeningAPackThatOverlapsAnOpenOneIsRefusedNamingIt() throws {
        let app = try AppHarness(packSize: 3)
        XCTAssertEqual(app.upload(PackFixture(name: "old", pairs: 3).body()).status, 200)
        var replacement = PackFixture(name: "new", pairs: 3)
        replacement.ageMin = "25"
        replacement.ageMax = "35"
        XCTAssertEqual(app.upload(replacement.body()).sentence, "Pack Condition Overlapped: old (sex 2, ages 20-29)")
        XCTAssertEqual(app.call("POST", "/api/admin/close", query: "id=1").text, "Pack 1 Closed.")
        XCTAssertEqual(app.upload(replacement.body()).text, "Pack 2 Added.", "a closed pack is no obstacle")
        let refused = app.call("POST", "/api/admin/open", query: "id=1")
        XCTAssertEqual(refused.status, 400)
        XCTAssertEqual(refused.sentence, "Pack Condition Overlapped: new (sex 2, ages 25-35)")
        let list = try XCTUnwrap(try app.call("GET", "/api/admin/list").json() as? [[String: Any]])
        XCTAssertEqual(list.map { $0["open"] as? Bool }, [false, true])
        let start = try XCTUnwrap(try app.json("POST", "/api/reply/start", Participants.details(age: 27)).json() as? [String: Any])
        XCTAssertEqual(start["p_id"] as? Int, 2)
    }

    func testBadRequestsAreRefusedAndChangeNothing() throws {
        let app = try AppHarness(packSize: 3)
        XCTAssertEqual(app.upload(PackFixture(name: "women", pairs: 3).body()).status, 200)
        for route in ["/api/admin/close", "/api/admin/open"] {
            for (query, sentence) in [("id=9", "Unknown Pack 9"), ("id=abc", "Unknown Pack abc"), ("", "Unknown Pack"), ("id=-1", "Unknown Pack -1")] {
                let answer = app.call("POST", route, query: query)
                XCTAssertEqual(answer.status, 400, route + query)
                XCTAssertEqual(answer.sentence, sentence, route + query)
            }
            XCTAssertEqual(app.call("GET", route, query: "id=1").status, 405, route)
            XCTAssertEqual(app.call("POST", "/api/admin/close", query: "id=1", user: nil).status, 403, route)
            XCTAssertEqual(app.call("POST", route, query: "id=1", headers: ["Sec-Fetch-Site": "cross-site"]).status, 403, route)
            XCTAssertEqual(app.call("POST", route, query: "id=1", headers: ["Origin": "http://elsewhere.example", "Host": "psyx.lab"]).status, 403)
        }
        XCTAssertTrue(app.call("GET", "/api/admin/list").text.contains(#""open":true"#), "still open")
        XCTAssertEqual(app.json("POST", "/api/reply/start", Participants.details()).status, 200)
    }
}
