import XCTest
@testable import FastCGI

/// Large bodies in both directions: a 5 MB request body spooled and handed to
/// the responder intact, a 1 MiB streamed response cut into records.
final class ConnectionLargeBodyTests: XCTestCase {
    private var harness: SocketPairHarness!

    override func setUpWithError() throws {
        harness = try SocketPairHarness(maxBodyBytes: 8 << 20, memoryBodyLimit: 64 * 1024)
    }

    override func tearDown() {
        harness.tearDown()
    }

    func testAFiveMegabyteBodyReachesTheResponderSpooledAndIntact() throws {
        let body = Pattern.bytes(5_000_000, seed: 3)
        let client = try harness.connect()
        try client.send(Wire.request(1, keep: false, uri: "/upload", body: body))

        let response = try client.readResponse(id: 1)
        XCTAssertTrue(response.isCleanlyEnded)
        XCTAssertEqual(String(decoding: response.body, as: UTF8.self), RecordingResponder.echoLine(uri: "/upload", keep: false, body: body))
        XCTAssertTrue(client.readsEndOfStream())
        XCTAssertTrue(client.waitForRunToReturn())

        guard case .respond(_, let count, let checksum, .file(let path, let existed))? = harness.log.all.first else {
            return XCTFail("expected one spooled request, got \(harness.log.all)")
        }
        XCTAssertEqual(count, 5_000_000)
        XCTAssertEqual(checksum, Checksum.of(body))
        XCTAssertTrue(path.hasPrefix(harness.spoolDirectory + "/"), path)
        XCTAssertTrue(existed, "the spool file exists while the handler runs")
        XCTAssertEqual(harness.spoolFiles(), [], "and is gone after the response")
    }

    func testABodyAtTheMemoryLimitStaysInMemory() throws {
        let body = Pattern.bytes(64 * 1024)
        let client = try harness.connect()
        try client.send(Wire.request(1, keep: false, body: body))
        XCTAssertEqual(try client.readResponse(id: 1).status, 200)
        guard case .respond(_, let count, let checksum, .memory)? = harness.log.all.first else {
            return XCTFail("expected one in-memory request, got \(harness.log.all)")
        }
        XCTAssertEqual(count, body.count)
        XCTAssertEqual(checksum, Checksum.of(body))
    }

    func testAStreamedResponseArrivesInRecordsOfAtMost65535BytesAndReassemblesIdentically() throws {
        let client = try harness.connect()
        try client.send(Wire.request(3, keep: true, method: "GET", uri: "/stream", contentLength: .some(nil)))

        let response = try client.readResponse(id: 3)
        XCTAssertTrue(response.isCleanlyEnded)
        let stdout = response.stdoutRecords
        XCTAssertLessThanOrEqual(stdout.map(\.content.count).max() ?? 0, 65535)
        XCTAssertTrue(stdout.dropLast().allSatisfy { !$0.content.isEmpty }, "only the last STDOUT record is empty")
        XCTAssertEqual(response.head, "Status: 200 OK\r\nContent-Type: application/octet-stream")
        XCTAssertEqual(response.body.count, StreamedBody.count)
        XCTAssertTrue(response.body == Pattern.bytes(StreamedBody.count), "the streamed bytes arrive unchanged and in order")

        try client.send(Wire.request(4, keep: false, body: [1]))
        XCTAssertEqual(try client.readResponse(id: 4).status, 200, "the connection serves on after a streamed response")
    }

    func testAStreamThatFailsDropsTheConnectionWithoutEndRequest() throws {
        let client = try harness.connect()
        try client.send(Wire.request(1, keep: true, method: "GET", uri: "/broken-stream", contentLength: .some(nil)))
        var records: [Record] = []
        do {
            while true { records.append(try client.nextRecord()) }
        } catch {
            XCTAssertEqual(error as? HarnessError, .endOfStream)
        }
        XCTAssertFalse(records.contains { $0.kind == .endRequest }, "a half-sent answer must not look complete")
        XCTAssertTrue(client.waitForRunToReturn())
    }
}
