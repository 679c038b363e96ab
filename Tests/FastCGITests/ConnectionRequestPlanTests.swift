import Foundation
import XCTest
@testable import FastCGI

/// The responder's plan, asked once the params are in, sets the request's own body limit and
/// may decide the answer: either way a body that is not wanted is never stored. The spool
/// directory is removed in these tests, so any attempt to spool would answer 500 instead.
final class ConnectionRequestPlanTests: XCTestCase {
    private var harness: SocketPairHarness!
    private let calls = CallLog()
    private var responder: PlanningResponder!

    override func setUpWithError() throws {
        responder = PlanningResponder(log: calls)
        harness = try SocketPairHarness(maxBodyBytes: 100_000, memoryBodyLimit: 1024, responder: responder)
        try FileManager.default.removeItem(atPath: harness.spoolDirectory)
    }

    override func tearDown() {
        harness.tearDown()
    }

    func testWithoutARequestLimitABodyPastMemoryIsSpooled() throws {
        let client = try harness.connect()
        try client.send(Wire.request(1, keep: true, body: Pattern.bytes(5000)))
        XCTAssertEqual(try client.readResponse(id: 1).status, 500, "the server's limit: spooled, which fails here")
        XCTAssertEqual(calls.rejections, [.spoolFailed])
    }

    func testADeclaredBodyOverTheRequestLimitIs413AndNeverSpooled() throws {
        let client = try harness.connect()
        try client.send(Wire.request(1, keep: true, uri: "/small", body: Pattern.bytes(5000)))
        XCTAssertEqual(try client.readResponse(id: 1).status, 413)
        try client.send(Wire.request(2, keep: true, uri: "/small", body: Pattern.bytes(PlanningResponder.smallLimit)))
        XCTAssertEqual(try client.readResponse(id: 2).status, 200, "at the limit it is served")
        XCTAssertEqual(calls.rejections, [.bodyTooLarge])
        XCTAssertEqual(calls.respondCount, 1)
        XCTAssertEqual(responder.plansAsked, ["/small", "/small"], "asked once per request")
    }

    func testAnUndeclaredBodyIsRefusedOnceItPassesTheRequestLimitNotTheServers() throws {
        let client = try harness.connect()
        let head = Wire.head(1, keep: true, params: Wire.params(method: "POST", uri: "/small", body: [], contentLength: .some(nil)))
        try client.send(Wire.encode(head) + Wire.body(1, Pattern.bytes(400), end: false))
        try client.send(Wire.body(1, Pattern.bytes(60_000)))
        XCTAssertEqual(try client.readResponse(id: 1).status, 413)
        XCTAssertEqual(calls.rejections, [.bodyTooLarge])
        try client.send(Wire.request(2, keep: true, body: [1]))
        XCTAssertEqual(try client.readResponse(id: 2).status, 200)
    }

    func testTheServerLimitStillCapsALargerRequestLimit() throws {
        let client = try harness.connect()
        try client.send(Wire.request(1, keep: true, uri: "/large", body: Pattern.bytes(100_001)))
        XCTAssertEqual(try client.readResponse(id: 1).status, 413)
        XCTAssertEqual(calls.rejections, [.bodyTooLarge])
    }

    func testADecidedAnswerIsSentAfterTheBodyWhichIsDroppedAndTheHandlerNotCalled() throws {
        let client = try harness.connect()
        try client.send(Wire.request(1, keep: true, uri: "/decided", body: Pattern.bytes(50_000)))
        let response = try client.readResponse(id: 1)
        XCTAssertEqual(String(decoding: response.stdout, as: UTF8.self), PlanningResponder.decidedAnswer)
        XCTAssertTrue(response.isCleanlyEnded)
        XCTAssertEqual(calls.all, [], "neither respond nor reject ran")

        try client.send(Wire.request(2, keep: true, body: [1, 2]))
        XCTAssertEqual(String(decoding: try client.readResponse(id: 2).body, as: UTF8.self),
                       RecordingResponder.echoLine(id: 2, keep: true, body: [1, 2]), "the connection serves on")
    }

    func testAPlanIsAskedOnceEvenWhenTheRequestIsHandedToAWorker() throws {
        let client = try harness.connect()
        // `/slow` is not inline: the loop asks the plan, then a worker serves the request.
        try client.send(Wire.request(1, keep: true, uri: "/slow", body: [1]))
        XCTAssertEqual(calls.slowEntered.wait(timeout: .now() + 5), .success)
        calls.slowGate.signal()
        XCTAssertEqual(try client.readResponse(id: 1).status, 200)
        // Pipelined behind a request a worker serves, the next one is planned on that worker.
        try client.send(Wire.request(2, keep: true, uri: "/slow", body: [1]) + Wire.request(3, keep: true, uri: "/small", body: [2]))
        XCTAssertEqual(calls.slowEntered.wait(timeout: .now() + 5), .success)
        calls.slowGate.signal()
        XCTAssertEqual(try client.readResponse(id: 2).status, 200)
        XCTAssertEqual(try client.readResponse(id: 3).status, 200)
        XCTAssertEqual(responder.plansAsked, ["/slow", "/slow", "/small"])
    }
}
