import XCTest
@testable import FastCGI

/// A body without CONTENT_LENGTH (Apache's mod_proxy_fcgi passes a chunked body that
/// way): the end of the STDIN stream ends it, under the same limits as any other body.
final class ConnectionUndeclaredLengthTests: XCTestCase {
    private var harness: SocketPairHarness!

    override func setUpWithError() throws {
        harness = try SocketPairHarness(maxBodyBytes: 100_000, memoryBodyLimit: 1024)
    }

    override func tearDown() {
        harness.tearDown()
    }

    /// BEGIN_REQUEST and params as Apache sends them for a chunked body: no CONTENT_LENGTH.
    private func head(_ id: UInt16, uri: String = "/echo") -> [UInt8] {
        Wire.encode(Wire.head(id, keep: true, params: Wire.params(method: "POST", uri: uri, body: [], contentLength: .some(nil))
            + [("HTTP_TRANSFER_ENCODING", "chunked")]))
    }

    func testASmallBodyInSeveralRecordsIsServed() throws {
        let client = try harness.connect()
        try client.send(head(1) + Wire.body(1, [1, 2, 3], end: false) + Wire.body(1, [4, 5]))
        let response = try client.readResponse(id: 1)
        XCTAssertTrue(response.isCleanlyEnded)
        XCTAssertEqual(String(decoding: response.body, as: UTF8.self), RecordingResponder.echoLine(keep: true, body: [1, 2, 3, 4, 5]))
        XCTAssertEqual(harness.log.rejections, [])
    }

    func testAMultiRecordBodySentWhileItArrivesIsSpooledOnAWorkerAndServedIntact() throws {
        let body = Pattern.bytes(90_000, seed: 5)
        let client = try harness.connect()
        try client.send(head(1) + Wire.body(1, Array(body.prefix(40_000)), end: false))
        XCTAssertTrue(harness.waitForSpoolFile(), "past the memory limit the body goes to a spool file")
        try client.send(Wire.body(1, Array(body.dropFirst(40_000))))

        let response = try client.readResponse(id: 1)
        XCTAssertTrue(response.isCleanlyEnded)
        XCTAssertEqual(String(decoding: response.body, as: UTF8.self), RecordingResponder.echoLine(keep: true, body: body))
        guard case .respond(_, let count, let checksum, .file(_, true))? = harness.log.all.first else {
            return XCTFail("expected one spooled request, got \(harness.log.all)")
        }
        XCTAssertEqual(count, body.count)
        XCTAssertEqual(checksum, Checksum.of(body))
        XCTAssertEqual(harness.log.respondThreads, [ConnectionThreads.threadName], "a body of unknown size never waits on the loop")

        try client.send(Wire.request(2, keep: true, body: [9]))
        XCTAssertEqual(try client.readResponse(id: 2).status, 200, "the connection serves on")
        XCTAssertEqual(harness.spoolFiles(), [], "removed once the first answer was out")
    }

    func testABodyPastTheLimitIsAnswered413AndNothingIsLeftInTheSpool() throws {
        let client = try harness.connect()
        try client.send(head(1) + Wire.body(1, Pattern.bytes(60_000), end: false))
        XCTAssertTrue(harness.waitForSpoolFile())
        try client.send(Wire.body(1, Pattern.bytes(60_000)))
        let response = try client.readResponse(id: 1)
        XCTAssertEqual(response.status, 413)
        XCTAssertTrue(response.isCleanlyEnded)
        XCTAssertEqual(harness.spoolFiles(), [])
        XCTAssertEqual(harness.log.rejections, [.bodyTooLarge])
        XCTAssertEqual(harness.log.respondCount, 0)

        try client.send(Wire.request(2, keep: true, body: [9]))
        XCTAssertEqual(try client.readResponse(id: 2).status, 200, "the connection goes on after a refused body")
    }

    func testNoContentLengthAndNoBodyIsStillAnsweredOnTheLoop() throws {
        let client = try harness.connect()
        try client.send(Wire.request(1, keep: true, method: "GET", body: [], contentLength: .some(nil)))
        XCTAssertEqual(try client.readResponse(id: 1).status, 200)
        XCTAssertEqual(harness.log.respondThreads, [EventLoop.threadName])
    }
}
