import XCTest
@testable import FastCGI

/// A peer that stops sending in the middle of a request is dropped after
/// `requestReadTimeout`; between requests a kept connection may wait for ever.
final class ConnectionStallTests: XCTestCase {
    private var harness: SocketPairHarness!

    override func setUpWithError() throws {
        harness = try SocketPairHarness(memoryBodyLimit: 1024, requestReadTimeout: 0.3)
    }

    override func tearDown() {
        harness.tearDown()
    }

    func testAPeerStalledMidBodyIsDroppedAfterTheTimeoutAndItsSpoolFileDeleted() throws {
        let client = try harness.connect()
        try client.send(Wire.encode(Wire.head(1, keep: true, params: [("REQUEST_METHOD", "POST"), ("CONTENT_LENGTH", "9000")]))
            + Wire.body(1, Pattern.bytes(5000), end: false))
        XCTAssertTrue(harness.waitForSpoolFile())
        assertClosed(client, after: 0.2)
        XCTAssertEqual(harness.spoolFiles(), [])
        XCTAssertEqual(harness.log.all, [])
    }

    func testAPeerStalledInsideARecordHeaderIsDropped() throws {
        let client = try harness.connect()
        try client.send([1, 1, 0])
        XCTAssertTrue(client.waitForRunToReturn(timeout: 5))
        XCTAssertTrue(client.readsEndOfStream())
    }

    func testAKeptConnectionBetweenRequestsIsNotDropped() throws {
        let client = try harness.connect()
        try client.send(Wire.request(1, keep: true, body: [1]))
        XCTAssertEqual(try client.readResponse(id: 1).status, 200)
        XCTAssertTrue(client.staysQuiet(milliseconds: 800), "an idle kept connection outlives requestReadTimeout")
        try client.send(Wire.request(2, keep: false, body: [2]))
        XCTAssertEqual(try client.readResponse(id: 2).status, 200)
    }

    func testAKeptConnectionIdleLongerThanTheIdleTimeoutIsClosedAfterARequestSpanningReads() throws {
        harness.tearDown()
        harness = try SocketPairHarness(memoryBodyLimit: 1024, requestReadTimeout: 5, idleTimeout: 0.4)
        let client = try harness.connect()
        // A request whose body comes in two sends: the mid-request timeout (5 s) applies between them,
        // then the idle timeout (0.4 s) again once it is answered.
        let request = Wire.encode(Wire.head(1, keep: true, params: [("REQUEST_METHOD", "POST"), ("CONTENT_LENGTH", "6")]))
            + Wire.body(1, [1, 2, 3], end: false)
        try client.send(request)
        XCTAssertTrue(client.staysQuiet(milliseconds: 700), "mid-request, the longer request timeout applies")
        try client.send(Wire.body(1, [4, 5, 6], end: true))
        XCTAssertEqual(try client.readResponse(id: 1).status, 200)
        assertClosed(client, after: 0.3)
    }

    /// The server drops the connection after at least `seconds` (and well within 2 s).
    private func assertClosed(_ client: RawClient, after seconds: Double, line: UInt = #line) {
        let started = Date()
        XCTAssertTrue(client.waitForRunToReturn(timeout: 5), line: line)
        let waited = Date().timeIntervalSince(started)
        XCTAssertGreaterThan(waited, seconds, line: line)
        XCTAssertLessThan(waited, 2, line: line)
        XCTAssertTrue(client.readsEndOfStream(), line: line)
    }
}
