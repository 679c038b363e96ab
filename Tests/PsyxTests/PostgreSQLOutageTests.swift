import Foundation
import PsyxTestSupport
import XCTest
@testable import Psyx

/// A responder whose PostgreSQL server goes away and comes back: 503s (health and submits) while it is
/// gone, nothing half-written, service again without a restart. The outage is a database of the
/// test's own refusing connections (`ALLOW_CONNECTIONS false`, its sessions terminated), so other
/// tests on the server are not disturbed.
final class PostgreSQLOutageTests: XCTestCase {
    private var admin: PostgreSQLConnection!
    private var database = ""
    private var info: PostgreSQLConnectionInfo!

    override func setUpWithError() throws {
        let server = try PostgreSQLConnectionInfo(try TestPostgreSQL.connectionString())
        admin = try PostgreSQLConnection(server)
        database = "outage_" + UUID().uuidString.prefix(8).lowercased()
        try admin.execute("CREATE DATABASE \(database)")
        info = try server.with([(keyword: "dbname", value: database)])
    }

    override func tearDownWithError() throws {
        _ = try? admin?.execute("ALTER DATABASE \(database) ALLOW_CONNECTIONS true")
        _ = try? admin?.execute("DROP DATABASE IF EXISTS \(database) WITH (FORCE)")
    }

    private func cutOff() throws {
        try admin.execute("ALTER DATABASE \(database) ALLOW_CONNECTIONS false")
        try admin.execute("SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity WHERE datname = $1", [database])
    }

    private func restore() throws {
        try admin.execute("ALTER DATABASE \(database) ALLOW_CONNECTIONS true")
    }

    func testAnOutageAnswers503WritesNothingAndServiceResumesWithoutARestart() throws {
        let app = try AppHarness(arguments: ["--database", info.text])
        XCTAssertEqual(app.upload(PackFixture(name: "p", pairs: 3).body()).status, 200)
        let start = app.json("POST", "/api/reply/start", Participants.details(no: "A1"))
        let pairs = try XCTUnwrap((try start.json() as? [String: Any])?["pic_pairs"] as? [[String]])
        XCTAssertEqual(app.json("POST", "/api/reply/submit", Participants.submit(packID: 1, pairs: pairs, no: "A1")).status, 200)

        try cutOff()
        let health = app.call("GET", "/api/health")
        XCTAssertEqual(health.status, 503)
        XCTAssertEqual(health.sentence, "The database cannot be reached just now; please try again in a moment.")
        let pending = Participants.submit(packID: 1, pairs: pairs, no: "B2", submissionID: "outage-0001")
        let refused = app.json("POST", "/api/reply/submit", pending)
        XCTAssertEqual(refused.status, 503, refused.text)
        XCTAssertEqual(refused.header("Retry-After"), "2")
        XCTAssertEqual(app.json("POST", "/api/reply/start", Participants.details(no: "C3")).status, 503,
                       "no cached answer while the change feed is down")
        XCTAssertEqual(app.call("GET", "/api/admin/list").status, 503)
        XCTAssertEqual(app.upload(PackFixture(name: "q", pairs: 3).body()).status, 503)
        XCTAssertEqual(app.packFolders, ["p"], "the refused create left no folder")
        let log = try String(contentsOfFile: app.directory + "/logs/api.log", encoding: .utf8)
        XCTAssertTrue(log.contains("not currently accepting connections"), "the log says why")
        XCTAssertFalse(log.contains("B2") || log.contains("홍길동"), "no personal data in the log")

        try restore()
        let store = try XCTUnwrap(app.application.store as? PostgreSQLStore)
        XCTAssertTrue(Wait.until(timeout: 10) { app.call("GET", "/api/health").status == 200 && store.changes.isLive })
        XCTAssertEqual(app.json("POST", "/api/reply/submit", pending).text, "Reply Submitted.", "the page's retry")
        XCTAssertEqual(app.json("POST", "/api/reply/submit", pending).text, "Reply Submitted.", "and once more")
        XCTAssertEqual(app.json("POST", "/api/reply/start", Participants.details(no: "B2")).sentence, "Already Participated")
        XCTAssertEqual(app.json("POST", "/api/reply/start", Participants.details(no: "C3")).status, 200)
        let stored = try PostgreSQLConnection(info).execute("SELECT no FROM replies ORDER BY r_id").rows.map { try $0.text(0) }
        XCTAssertEqual(stored, ["A1", "B2"])
        XCTAssertTrue(app.call("GET", "/api/admin/list").text.contains(#""count":2"#))
    }

    /// The relocation API in an outage: 503 as for the experiment's routes (its clients retry), not a 500.
    func testRelocationWritesAnswer503InAnOutage() throws {
        let app = try AppHarness(arguments: ["--database", info.text])
        func post() -> AppHarness.Answer {
            app.call("POST", "/post_sentence", body: Array("cid=7&count=5".utf8), contentType: "application/x-www-form-urlencoded",
                     user: nil, headers: [SharedKey.header: AppHarness.relocationKey])
        }
        XCTAssertEqual(post().sentence, "Unknown cid 7", "answered by the database before the outage")
        try cutOff()
        let refused = post()
        XCTAssertEqual(refused.status, 503, refused.text)
        XCTAssertEqual(refused.header("Retry-After"), "2")
        try restore()
        XCTAssertTrue(Wait.until(timeout: 10) { post().status == 400 }, "service again without a restart")
    }

    func testStartUpWithTheDatabaseUnreachableIsRefusedClearly() throws {
        _ = try PostgreSQLStore(connection: info)  // the schema exists; the server just does not answer
        try cutOff()
        XCTAssertThrowsError(try AppHarness(arguments: ["--database", info.text])) { error in
            let text = "\(error)"
            XCTAssertTrue(text.hasPrefix("cannot reach the database postgresql ("), text)
            XCTAssertTrue(text.contains("not currently accepting connections"), text)
        }
        try restore()
        XCTAssertNoThrow(try AppHarness(arguments: ["--database", info.text]))
    }

    /// Killed sessions (a failover, an administrator) are reopened by themselves, the feed's included.
    func testKilledSessionsAreReopened() throws {
        let app = try AppHarness(arguments: ["--database", info.text])
        XCTAssertEqual(app.upload(PackFixture(name: "p", pairs: 3).body()).status, 200)
        let store = try XCTUnwrap(app.application.store as? PostgreSQLStore)
        for _ in 0..<2 {
            try admin.execute("SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity WHERE datname = $1", [database])
            XCTAssertEqual(app.call("GET", "/api/health").status, 200)
            XCTAssertEqual(app.json("POST", "/api/reply/start", Participants.details()).status, 200)
        }
        XCTAssertTrue(Wait.until(timeout: 10) { store.changes.isLive })
        XCTAssertNotNil(try store.removePack(id: 1))
        XCTAssertTrue(Wait.until(timeout: 10) { (try? store.suitablePack(sex: 2, age: 25)) == .some(nil) }, "the feed hears commits again")
    }
}
