import XCTest
@testable import FastCGI
import PsyxTestSupport

/// A responder's `BodyReceiver` takes the body as it arrives: every byte in order,
/// nothing spooled, and released (never answered by `respond`) whenever the server
/// refuses the body or the web server aborts the request.
final class ConnectionBodyReceiverTests: XCTestCase {
    private var harness: SocketPairHarness!
    private let receivers = ReceiverLog()

    override func setUpWithError() throws {
        harness = try SocketPairHarness(maxBodyBytes: 4 << 20, memoryBodyLimit: 64 * 1024, receivers: receivers)
    }

    override func tearDown() {
        harness.tearDown()
    }

    private func head(_ id: UInt16 = 1, keep: Bool = true, contentLength: String?) -> [UInt8] {
        var params: [(name: String, value: String)] = [("REQUEST_METHOD", "POST"), ("REQUEST_URI", "/receive")]
        if let contentLength { params.append(("CONTENT_LENGTH", contentLength)) }
        return Wire.encode(Wire.head(id, keep: keep, params: params))
    }

    func testALargeBodyReachesTheReceiverInOrderAndIsNeverSpooled() throws {
        let body = Pattern.bytes(3_000_000, seed: 7)
        let client = try harness.connect()
        try client.send(head(contentLength: String(body.count)) + Wire.body(1, body))

        let response = try client.readResponse(id: 1)
        XCTAssertTrue(response.isCleanlyEnded)
        let line = String(decoding: response.body, as: UTF8.self)
        XCTAssertTrue(line.hasPrefix("count=3000000 body=3000000 chunks="), line)
        XCTAssertTrue(line.hasSuffix(" fnv=\(Checksum.of(body)) spooled=false unreadable=true\n"), line)
        let chunks = Int(line.split(separator: " ")[2].dropFirst("chunks=".count)) ?? 0
        XCTAssertGreaterThan(chunks, 40, "passed on record by record (at most 65535 bytes each), not collected first")
        XCTAssertEqual(harness.spoolFiles(), [])
        XCTAssertEqual(receivers.released, [3_000_000], "released once answered")
        XCTAssertEqual(harness.log.all, [], "neither the plain responder nor a rejection ran")
    }

    func testAnAbortMidBodyReleasesTheReceiverWithoutAnAnswerAndKeepsTheConnection() throws {
        let client = try harness.connect()
        try client.send(head(contentLength: "1000000") + Wire.body(1, Pattern.bytes(300_000), end: false))
        XCTAssertTrue(Wait.until(timeout: 5) { self.receivers.received == 300_000 }, "fed while the body arrives")
        XCTAssertEqual(receivers.released, [])

        try client.send([Send.abort(1)])
        XCTAssertEqual(try client.nextRecord(), Record(.endRequest, requestID: 1, content: [0, 0, 0, 0, 0, 0, 0, 0]))
        XCTAssertTrue(Wait.until(timeout: 2) { self.receivers.released == [300_000] }, "dropped at once, so it can clean up")

        try client.send(Wire.request(2, keep: true, body: [1, 2, 3]))
        XCTAssertEqual(try client.readResponse(id: 2).status, 200)
        XCTAssertEqual(harness.log.respondCount, 1, "only the second request was answered")
        XCTAssertEqual(harness.spoolFiles(), [])
    }

    func testABodyOverTheLimitReleasesTheReceiverMidBodyAndIsAnswered413() throws {
        let client = try harness.connect()
        try client.send(head(contentLength: nil) + Wire.body(1, Pattern.bytes(3_000_000), end: false))
        XCTAssertTrue(Wait.until(timeout: 5) { self.receivers.received == 3_000_000 })
        try client.send(Wire.body(1, Pattern.bytes(2_000_000), end: false))
        XCTAssertTrue(Wait.until(timeout: 5) { self.receivers.released.count == 1 }, "released as soon as the limit is passed")
        XCTAssertLessThanOrEqual(receivers.released.first ?? .max, 4 << 20, "never fed beyond the limit")

        try client.send(Wire.body(1, [], end: true))
        XCTAssertEqual(try client.readResponse(id: 1).status, 413)
        XCTAssertEqual(harness.log.rejections, [.bodyTooLarge])
        XCTAssertEqual(harness.log.respondCount, 0)
        XCTAssertEqual(harness.spoolFiles(), [])
    }

    func testADeclaredLengthOverTheLimitNeverCreatesAReceiver() throws {
        let client = try harness.connect()
        try client.send(head(contentLength: String(5 << 20)) + Wire.body(1, Pattern.bytes(1000)))
        XCTAssertEqual(try client.readResponse(id: 1).status, 413)
        XCTAssertEqual(receivers.created, 0)
        XCTAssertEqual(harness.log.rejections, [.bodyTooLarge])
    }

    func testABodyShorterThanItsContentLengthIsRefusedAndItsReceiverReleasedBeforeTheAnswer() throws {
        let client = try harness.connect()
        try client.send(head(contentLength: "500000") + Wire.body(1, Pattern.bytes(200_000)))
        let response = try client.readResponse(id: 1)
        XCTAssertEqual(response.status, 400)
        XCTAssertEqual(receivers.released, [200_000], "released before the answer was written")
        XCTAssertEqual(harness.log.rejections, [.bodyLengthMismatch])
        XCTAssertEqual(harness.log.respondCount, 0)
    }

    func testOtherRoutesStillHaveTheirBodiesCollected() throws {
        let body = Pattern.bytes(200_000)
        let client = try harness.connect()
        try client.send(Wire.request(1, keep: false, uri: "/upload", body: body))
        XCTAssertEqual(String(decoding: try client.readResponse(id: 1).body, as: UTF8.self),
                       RecordingResponder.echoLine(uri: "/upload", keep: false, body: body))
        guard case .respond(_, _, _, .file)? = harness.log.all.first else {
            return XCTFail("expected a spooled body, got \(harness.log.all)")
        }
        XCTAssertEqual(receivers.created, 0)
    }
}
