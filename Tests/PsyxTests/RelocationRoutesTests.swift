import FastCGI
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
        app.call("POST", path, body: Array(body.utf8), contentType: contentType, user: nil,
                 headers: [SharedKey.header: AppHarness.relocationKey])
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
            ("/post_sentence", "cid=7&count=9223372036854775807", "Invalid count: 9223372036854775807 (at most 1000000000000)"),
            ("/post_sentence", "cid=7&count=1000000000001", "Invalid count: 1000000000001 (at most 1000000000000)"),
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

    /// The bound leaves room above it: the top level absorbs at most 10^12, and a level above that
    /// can still be added.
    func testTheLargestCountIsTakenAndLeavesRoomAbove() throws {
        let (app, store) = try harness()
        XCTAssertEqual(form(app, "/post_sentence", "cid=7&count=1000000000000").status, 200)
        XCTAssertEqual(try store.levelSet().levels.last?.maxCounts, 1_000_000_000_000)
        let above = Level(name: "platinum", minCounts: 1_000_000_000_001, maxCounts: 2_000_000_000_000, path: "levels/platinum")
        XCTAssertEqual(try store.setLevels([above]).levels.last?.name, "platinum")
    }

    /// Issue 17, item 9: behind a proxy on the same host every client is 127.0.0.1 to Nginx, so the
    /// responder itself wants the shared key, and refuses browser form posts like the admin routes.
    func testOnlyKeyHoldersAndNoBrowsersReachTheRoutes() throws {
        let (app, store) = try harness()
        let before = try snapshot(store)
        func post(_ headers: [String: String]) -> AppHarness.Answer {
            app.call("POST", "/post_sentence", body: Array("cid=7&count=1964".utf8),
                     contentType: "application/x-www-form-urlencoded", user: nil, headers: headers)
        }
        let key = AppHarness.relocationKey
        for headers in [[:], [SharedKey.header: ""], [SharedKey.header: key + "x"], [SharedKey.header: String(key.dropLast())],
                        [SharedKey.header: key.uppercased()]] {
            let answer = post(headers)
            XCTAssertEqual(answer.status, 403, "\(headers): \(answer.text)")
            XCTAssertEqual(answer.sentence, "This route needs the X-Relocation-Key header.")
        }
        for browser in [["Sec-Fetch-Site": "cross-site"], ["Sec-Fetch-Site": "same-site"],
                        ["Origin": "https://evil.example", "Host": "psyx.lab"], ["Origin": "null", "Host": "psyx.lab"]] {
            let answer = post(browser.merging([SharedKey.header: key]) { $1 })
            XCTAssertEqual(answer.status, 403, "\(browser): \(answer.text)")
        }
        XCTAssertEqual(try snapshot(store), before, "no refused request changed anything")
        XCTAssertEqual(post([SharedKey.header: key]).status, 200)
        let log = try String(contentsOfFile: app.directory + "/logs/api.log", encoding: .utf8)
        XCTAssertFalse(log.contains(key), "the key must never reach the log")
    }

    /// Without a key file the routes are closed, not open.
    func testNoConfiguredKeyClosesTheRoutes() throws {
        let directory = NSTemporaryDirectory() + "psyx-nokey-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let (settings, _) = try Settings.parse(["--data", directory], environment: [:])
        let app = try Application(settings: settings)
        var params = ["REQUEST_METHOD": "POST", "DOCUMENT_URI": "/post_sentence", "REQUEST_URI": "/post_sentence",
                      "CONTENT_LENGTH": "16", "CONTENT_TYPE": "application/x-www-form-urlencoded"]
        params["HTTP_X_RELOCATION_KEY"] = "anything-at-all-0123456789"
        let response = app.makeResponder().respond(to: Request(params: Params(params), body: RequestBody(Array("cid=7&count=1964".utf8))))
        XCTAssertEqual(response.status, 403)
    }

    /// A key file that is missing or too weak stops start-up with a clear message.
    func testUnusableKeyFilesAreRefusedAtStart() throws {
        let directory = NSTemporaryDirectory() + "psyx-badkey-" + UUID().uuidString
        defer {
            try? FileManager.default.removeItem(atPath: directory)
            try? FileManager.default.removeItem(atPath: directory + ".key")
        }
        for content in [nil, "short", "has a space in it 0123456789", ""] as [String?] {
            try? FileManager.default.removeItem(atPath: directory + ".key")
            if let content { try Data(content.utf8).write(to: URL(fileURLWithPath: directory + ".key")) }
            let (settings, _) = try Settings.parse(["--data", directory, "--relocation-key-file", directory + ".key"], environment: [:])
            XCTAssertThrowsError(try Application(settings: settings), String(describing: content))
        }
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
