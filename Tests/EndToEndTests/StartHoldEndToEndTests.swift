import Foundation
import PsyxTestSupport
import XCTest

/// Holding a participant number at start (issue 21) through real Nginx, on SQLite and on
/// PostgreSQL, with holds shortened by `PSYX_HOLD_SECONDS` so that the end of one is seen.
final class StartHoldEndToEndTests: EndToEndTestCase {
    static let holdSeconds = 2.0

    func testAHeldNumberOnSQLite() throws {
        try heldNumber(database: [:])
    }

    func testAHeldNumberOnPostgreSQL() throws {
        try onPostgreSQL { try heldNumber(database: $0) }
    }

    private func heldNumber(database: [String: String]) throws {
        let stack = try startStack(environment: database.merging(["PSYX_HOLD_SECONDS": String(Self.holdSeconds)]) { $1 })
        let client = ExperimentClient(stack: stack)
        XCTAssertEqual(try client.upload(PackFixture(name: "held", pairs: 300).body()).status, 200)
        let participant = ParticipantFixture(no: "S2020123")
        func start(_ hold: String?, no: String = "S2020123") throws -> HTTPResponse {
            var body = ParticipantFixture(no: no).details
            if let hold { body["hold"] = hold }
            return try client.post("/api/reply/start", json: body)
        }
        let (first, second) = ("browser-one-0000-aaaa", "browser-two-0000-bbbb")

        let held = try start(first)
        XCTAssertEqual(held.status, 200, held.text)
        let began = Date()
        let refused = try start(second, no: "s2020123")
        XCTAssertEqual(refused.status, 400)
        XCTAssertTrue(refused.text.contains("Participant Number In Use"), refused.text)
        XCTAssertEqual(try start(nil).status, 400, "a start without a token while held")
        XCTAssertEqual(try start("bad token").status, 400)
        XCTAssertTrue(try start("bad token").text.contains("Invalid Hold"))
        let resumed = try start(first)
        XCTAssertEqual(resumed.status, 200, "the same browser resumes")
        XCTAssertEqual(try start(nil, no: "S2020999").status, 200, "another number is free")
        XCTAssertLessThan(Date().timeIntervalSince(began), Self.holdSeconds, "the checks above ran while the hold lasted")

        // After the hold ends (the resume renewed it), a start without a token and another browser get in.
        usleep(UInt32((Self.holdSeconds + 0.5) * 1_000_000))
        XCTAssertEqual(try start(nil).status, 200, "the hold ended")
        let takeover = try start(second)
        XCTAssertEqual(takeover.status, 200, "another browser takes the number over")
        XCTAssertEqual(try start(first).status, 400, "and holds it now")

        // The holder's submit works as before (holds never touch submit); then the number has participated.
        let pairs = try XCTUnwrap((takeover.json as? [String: Any])?["pic_pairs"] as? [[String]])
        let submitted = try client.post("/api/reply/submit", json: participant.submit(packID: 1, pairs: pairs))
        XCTAssertEqual(submitted.status, 200, submitted.text)
        XCTAssertTrue(try start(first).text.contains("Already Participated"))
        XCTAssertTrue(try start(nil).text.contains("Already Participated"))
        XCTAssertEqual(try client.rowCounts(), "packs=1 pack_pairs=300 replies=1")
        if database.isEmpty {
            XCTAssertTrue(FileManager.default.fileExists(atPath: stack.dataDirectory.appendingPathComponent("holds.sqlite").path))
        }
    }
}
