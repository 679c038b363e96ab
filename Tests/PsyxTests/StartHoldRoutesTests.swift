import Foundation
import PsyxTestSupport
import FastCGI
import XCTest
@testable import Psyx

/// `hold` in start through the responder on a real data directory (SQLite; the end-to-end test runs
/// the same through Nginx on both backends).
final class StartHoldRoutesTests: XCTestCase {
    static let tokenA = "page-session-aaaa-0001"
    static let tokenB = "page-session-bbbb-0002"

    private func start(_ app: AppHarness, no: String = "2020123456", hold: Any? = nil) -> AppHarness.Answer {
        var body = Participants.details(no: no)
        if let hold { body["hold"] = hold }
        return app.json("POST", "/api/reply/start", body)
    }

    func testAHeldNumberIsRefusedToOthersAndResumedByItsToken() throws {
        let app = try AppHarness(packSize: 3)
        XCTAssertEqual(app.upload(PackFixture(name: "p", pairs: 3).body()).status, 200)
        XCTAssertEqual(start(app, hold: Self.tokenA).status, 200)
        let other = start(app, hold: Self.tokenB)
        XCTAssertEqual(other.status, 400)
        XCTAssertEqual(other.sentence, "Participant Number In Use")
        XCTAssertEqual(start(app).sentence, "Participant Number In Use", "a start without a token is refused too")
        XCTAssertEqual(start(app, no: "2020123456".uppercased(), hold: Self.tokenB).status, 400)
        XCTAssertEqual(start(app, hold: Self.tokenA).status, 200, "the same token resumes")
        XCTAssertEqual(start(app, no: "2020999999").status, 200, "another number is free")
        XCTAssertEqual(start(app, no: "2020999999").status, 200, "a start without a token holds nothing")
        XCTAssertEqual(start(app, no: "2020999999", hold: Self.tokenB).status, 200)

        // The holder submits as before; afterwards the number has participated, whatever the token.
        let pairs = try XCTUnwrap((try start(app, hold: Self.tokenA).json() as? [String: Any])?["pic_pairs"] as? [[String]])
        XCTAssertEqual(app.json("POST", "/api/reply/submit", Participants.submit(packID: 1, pairs: pairs)).text, "Reply Submitted.")
        XCTAssertEqual(start(app, hold: Self.tokenA).sentence, "Already Participated")
        XCTAssertEqual(start(app, hold: Self.tokenB).sentence, "Already Participated")
    }

    func testAHoldEndsAfterItsTime() throws {
        let app = try AppHarness(packSize: 3, arguments: ["--hold-seconds", "0.5"])
        XCTAssertEqual(app.upload(PackFixture(name: "p", pairs: 3).body()).status, 200)
        XCTAssertEqual(start(app, hold: Self.tokenA).status, 200)
        XCTAssertEqual(start(app).status, 400)
        usleep(700_000)
        XCTAssertEqual(start(app).status, 200)
        XCTAssertEqual(start(app, hold: Self.tokenB).status, 200, "taken over once ended")
        XCTAssertEqual(start(app, hold: Self.tokenA).status, 400)
    }

    /// Every bad token is 400 `Invalid Hold` and holds nothing.
    func testABadHoldIsRefusedAndHoldsNothing() throws {
        let app = try AppHarness(packSize: 3)
        XCTAssertEqual(app.upload(PackFixture(name: "p", pairs: 3).body()).status, 200)
        let bad: [Any] = ["short-token-15c", String(repeating: "a", count: 65), "token with spaces!", "token_underscore_1",
                          "토큰토큰토큰토큰토큰토큰", "", 1234567890123456789, true, ["a"], ["k": "v"]]
        for value in bad {
            let answer = start(app, hold: value)
            XCTAssertEqual(answer.status, 400, "\(value)")
            XCTAssertEqual(answer.sentence, "Invalid Hold", "\(value)")
        }
        XCTAssertEqual(start(app, hold: NSNull()).status, 200, "null is no hold")
        XCTAssertEqual(start(app).status, 200, "nothing was held")
        XCTAssertEqual(start(app, hold: String(repeating: "a", count: 16)).status, 200)
        XCTAssertEqual(start(app, no: "2020000001", hold: String(repeating: "Z9-", count: 21) + "x").status, 200)
    }

    /// The length: pairs × (time limit + 3 s) + 10 min, unless `--hold-seconds` says.
    func testTheHoldLastsTheWholePack() throws {
        let routes = ExperimentRoutes(store: try SQLiteStore(path: NSTemporaryDirectory() + "psyx-hold-\(UUID()).sqlite3"),
                                      data: DataDirectory(NSTemporaryDirectory()), packSize: 300, timeLimit: 3,
                                      log: RequestLog(directory: NSTemporaryDirectory()))
        let pack = Pack(id: 1, name: "p", sex: 1, ageMin: 20, ageMax: 29, date: "",
                        pairs: (1...300).map { PackPair(number: $0, ori: "", inv: "") })
        XCTAssertEqual(routes.holdSeconds(for: pack), 300 * 6 + 600)
        var fixed = routes
        fixed.fixedHoldSeconds = 2
        XCTAssertEqual(fixed.holdSeconds(for: pack), 2)
        XCTAssertThrowsError(try Settings.parse(["--hold-seconds", "0"], environment: [:]))
        XCTAssertEqual(try Settings.parse([], environment: ["PSYX_HOLD_SECONDS": "1.5"]).0.holdSeconds, 1.5)
        XCTAssertNil(try Settings.parse([], environment: [:]).0.holdSeconds)
    }

    /// On SQLite every start is answered where it is asked (the event loop); on PostgreSQL a start
    /// that must ask the server — any claim, a look into a pack with holds, or one not yet known to
    /// have none — is finished on a worker thread (a deferred answer), and a tokenless start in a
    /// pack known to have no hold is answered from memory.
    func testAStartThatMustAskPostgreSQLIsFinishedOnAWorkerThread() throws {
        let schema = try PostgreSQLTestSchema()
        for database in [[], ["--database", schema.connectionString]] {
            let app = try AppHarness(packSize: 3, arguments: database)
            XCTAssertEqual(app.upload(PackFixture(name: "p", pairs: 3).body()).status, 200)
            func start(_ hold: String?) throws -> Response {
                var body = Participants.details()
                if let hold { body["hold"] = hold }
                let bytes = Array(try JSONSerialization.data(withJSONObject: body))
                let params = ["REQUEST_METHOD": "POST", "DOCUMENT_URI": "/api/reply/start", "REQUEST_URI": "/api/reply/start",
                              "CONTENT_LENGTH": String(bytes.count), "CONTENT_TYPE": "application/json", "REMOTE_ADDR": "127.0.0.1"]
                return app.responder.respond(to: Request(params: Params(params), body: RequestBody(bytes)))
            }
            func deferred(_ response: Response) -> Bool {
                if case .deferred = response.body { return true }
                return false
            }
            let onPostgreSQL = !database.isEmpty
            let first = try start(nil)
            XCTAssertEqual(deferred(first), onPostgreSQL, "the first look into the pack")
            XCTAssertEqual(first.resolved.status, 200)
            let second = try start(nil)
            XCTAssertFalse(deferred(second), "known to have no hold: from memory")
            XCTAssertEqual(second.resolved.status, 200)
            let claimed = try start(Self.tokenA)
            XCTAssertEqual(deferred(claimed), onPostgreSQL)
            XCTAssertEqual(claimed.resolved.status, 200)
            let refused = try start(nil)
            XCTAssertEqual(deferred(refused), onPostgreSQL, "a pack with holds is read every time")
            XCTAssertEqual(refused.resolved.status, 400)
        }
    }
}
