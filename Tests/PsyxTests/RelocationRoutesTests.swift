import Foundation
import XCTest
@testable import Psyx

/// `/post_sentence` and `/update_sentence` through the real responder (routing, policy, log) on a
/// temporary data directory, with bodies as curl's `-d` sends them.
final class RelocationRoutesTests: XCTestCase {
    private func harness() throws -> (AppHarness, SQLiteRelocationStore) {
        let app = try AppHarness()
        let store = try XCTUnwrap(app.application.relocationStore as? SQLiteRelocationStore, "the default database is SQLite")
        _ = try store.setLevels(RelocationFixture.exampleLevels)
        for level in ["bronze", "silver", "gold"] {
            try FileManager.default.createDirectory(atPath: app.directory + "/levels/" + level, withIntermediateDirectories: true)
        }
        FileManager.default.createFile(atPath: app.directory + "/levels/bronze/g.mp4", contents: Data("g".utf8))
        _ = try store.addContent(cid: 7, level: "bronze", filename: "g.mp4", now: 1_700_000_000) { _ in }
        return (app, store)
    }

    private func form(_ app: AppHarness, _ path: String, _ body: String,
                      contentType: String = "application/x-www-form-urlencoded") -> AppHarness.Answer {
        app.call("POST", path, body: Array(body.utf8), contentType: contentType, user: nil)
    }

    private func snapshot(_ store: SQLiteRelocationStore) throws -> RelocationFixture.Snapshot {
        RelocationFixture.Snapshot(levels: try store.levelSet().levels, contents: try store.contents(), jobs: try store.jobs())
    }

    func testTheSpecsExchange() throws {
        let (app, store) = try harness()
        let posted = form(app, "/post_sentence", "cid=7&count=1964")
        XCTAssertEqual(posted.status, 200, posted.text)
        XCTAssertEqual(posted.header("Content-Type"), "application/json; charset=utf-8")
        XCTAssertEqual(posted.text, """
            {"cid": "7", "count": "1964", "target": "silver", "db_level": "bronze", "filename": "g.mp4", "worker_id": null, "status": "update"}
            """)

        let waiting = form(app, "/update_sentence", "cid=7")
        XCTAssertEqual(waiting.status, 200)
        XCTAssertEqual(waiting.header("Content-Type"), "text/plain; charset=utf-8")
        XCTAssertEqual(waiting.text, "check your status again")

        let claimed = try XCTUnwrap(try store.claim(workerID: "w1", lease: 60, now: Date().timeIntervalSince1970))
        let whileMoving = form(app, "/post_sentence", "cid=7&count=5")
        XCTAssertEqual(whileMoving.status, 200)
        XCTAssertEqual(whileMoving.text, """
            {"cid": "7", "count": "1964", "target": "silver", "db_level": "bronze", "filename": "g.mp4", "worker_id": "w1", "status": "update"}
            """)
        XCTAssertTrue(try store.complete(cid: claimed.job.cid, workerID: "w1", now: Date().timeIntervalSince1970))

        let committed = form(app, "/update_sentence", "cid=7")
        XCTAssertEqual(committed.status, 200)
        XCTAssertEqual(committed.text, "7")
        XCTAssertEqual(try store.content(cid: 7)?.level, "silver")
        XCTAssertEqual(try store.jobs(), [])
        XCTAssertEqual(form(app, "/update_sentence", "cid=7").text, "check your status again")
    }

    func testSameLevelIsDoneAndCommitsWithoutAWorker() throws {
        let (app, store) = try harness()
        let posted = form(app, "/post_sentence", "count=12&cid=7")
        XCTAssertEqual(posted.text, """
            {"cid": "7", "count": "12", "target": "bronze", "db_level": "bronze", "filename": "g.mp4", "worker_id": null, "status": "done"}
            """)
        let before = try XCTUnwrap(try store.content(cid: 7)).updateTime
        XCTAssertEqual(form(app, "/update_sentence", "cid=7").text, "7")
        let after = try XCTUnwrap(try store.content(cid: 7))
        XCTAssertEqual(after.level, "bronze")
        XCTAssertNotEqual(after.updateTime, before)
    }

    func testBadInputIs400AndChangesNothing() throws {
        let (app, store) = try harness()
        _ = form(app, "/post_sentence", "cid=7&count=1500")
        let before = try snapshot(store)
        let cases: [(String, String, String)] = [
            ("/post_sentence", "count=1964", "Missing cid"),
            ("/post_sentence", "cid=7", "Missing count"),
            ("/post_sentence", "cid=&count=5", "Missing cid"),
            ("/post_sentence", "", "Missing cid"),
            ("/post_sentence", "cid=-7&count=1964", "Invalid cid: -7"),
            ("/post_sentence", "cid=7&count=-1", "Invalid count: -1"),
            ("/post_sentence", "cid=7&count=x", "Invalid count: x"),
            ("/post_sentence", "cid=7&count=19.5", "Invalid count: 19.5"),
            ("/post_sentence", "cid=7&count=%2B5", "Invalid count: +5"),
            ("/post_sentence", "cid=7&count=+5", "Invalid count:  5"),
            ("/post_sentence", "cid=7&count=99999999999999999999", "Invalid count: 99999999999999999999"),
            ("/post_sentence", "cid=abc&count=5000", "Invalid cid: abc"),
            ("/post_sentence", "cid=8&count=5000", "Unknown cid 8"),
            ("/update_sentence", "", "Missing cid"),
            ("/update_sentence", "cid=-1", "Invalid cid: -1"),
            ("/update_sentence", "cid=7x", "Invalid cid: 7x"),
            ("/update_sentence", "cid=8", "Unknown cid 8"),
        ]
        for (path, body, message) in cases {
            let answer = form(app, path, body)
            XCTAssertEqual(answer.status, 400, "\(path) \(body): \(answer.text)")
            XCTAssertEqual(answer.sentence, HTMLEscaping.escape(message), "\(path) \(body)")
        }
        XCTAssertEqual(try snapshot(store), before, "no refused request changed levels, contents or jobs")
    }

    func testOtherBodiesAndMethodsAreRefused() throws {
        let (app, store) = try harness()
        let before = try snapshot(store)
        let json = form(app, "/post_sentence", #"{"cid": 7, "count": 1964}"#, contentType: "application/json")
        XCTAssertEqual(json.status, 400)
        XCTAssertEqual(json.sentence, "Expected an application/x-www-form-urlencoded body")
        let big = form(app, "/post_sentence", "cid=7&count=5&pad=" + String(repeating: "x", count: 70_000))
        XCTAssertEqual(big.status, 413)
        XCTAssertEqual(app.call("GET", "/post_sentence", user: nil).status, 405)
        XCTAssertEqual(app.call("GET", "/update_sentence", user: nil).status, 405)
        XCTAssertEqual(try snapshot(store), before)
        // No content type at all (a hand-made request) is read as a form.
        XCTAssertEqual(form(app, "/post_sentence", "cid=7&count=2000", contentType: "").status, 200)
        XCTAssertEqual(form(app, "/post_sentence", "cid=7&count=2000", contentType: "application/x-www-form-urlencoded; charset=UTF-8").status, 200)
    }

    func testTheFirstOfARepeatedFieldWins() throws {
        let (app, _) = try harness()
        let posted = form(app, "/post_sentence", "cid=7&count=2500&count=1")
        XCTAssertEqual(posted.status, 200)
        XCTAssertTrue(posted.text.contains(#""count": "2500""#), posted.text)
    }

    func testDatabaseFailureIs500WithoutDetails() throws {
        let (app, store) = try harness()
        // Break the schema under the running responder: its queries now fail inside SQLite.
        try store.store.withWriter { db in try db.exec("DROP TABLE relocation_jobs") }
        let answer = form(app, "/post_sentence", "cid=7&count=1964")
        XCTAssertEqual(answer.status, 500)
        XCTAssertFalse(answer.text.contains("relocation_jobs"), answer.text)
        XCTAssertEqual(form(app, "/update_sentence", "cid=7").status, 500)
    }
}
