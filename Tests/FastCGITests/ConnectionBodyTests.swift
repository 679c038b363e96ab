import Foundation
import XCTest
@testable import FastCGI

/// Request bodies over a socket pair: checked against CONTENT_LENGTH, refused
/// over the limit, spooled when large, and never left behind in the spool directory.
final class ConnectionBodyTests: XCTestCase {
    private var harness: SocketPairHarness!

    override func setUpWithError() throws {
        harness = try SocketPairHarness(maxBodyBytes: 100_000, memoryBodyLimit: 1024)
    }

    override func tearDown() {
        harness.tearDown()
    }

    private static let mismatchAnswer = "Status: 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nBody Length Mismatch\n"
    private static let tooLargeAnswer = "Status: 413 Payload Too Large\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nPayload Too Large\n"

    /// Sends one non-kept request and returns its answer after the server closed the connection,
    /// so everything the request held has been released.
    private func exchange(_ bytes: [UInt8]) throws -> ReceivedResponse {
        let client = try harness.connect()
        try client.send(bytes)
        let response = try client.readResponse(id: 1)
        XCTAssertTrue(response.isCleanlyEnded)
        XCTAssertTrue(client.readsEndOfStream())
        XCTAssertTrue(client.waitForRunToReturn())
        return response
    }

    func testFewerBytesThanContentLengthIsRejectedWithoutCallingTheHandler() throws {
        let response = try exchange(Wire.request(body: Pattern.bytes(5), contentLength: "10"))
        XCTAssertEqual(String(decoding: response.stdout, as: UTF8.self), Self.mismatchAnswer)
        XCTAssertEqual(harness.log.all, [
            .reject(.bodyLengthMismatch, params: ["REQUEST_METHOD": "POST", "REQUEST_URI": "/echo", "SCRIPT_NAME": "/echo", "CONTENT_LENGTH": "10"]),
        ])
    }

    func testMoreBytesThanContentLengthIsRejected() throws {
        let response = try exchange(Wire.request(body: Pattern.bytes(10), contentLength: "5"))
        XCTAssertEqual(String(decoding: response.stdout, as: UTF8.self), Self.mismatchAnswer)
        XCTAssertEqual(harness.log.rejections, [.bodyLengthMismatch])
        XCTAssertEqual(harness.log.respondCount, 0)
    }

    func testOnlyABodyKnownToFitInMemoryMayBeAnsweredOnTheLoop() {
        XCTAssertNil(Connection.bodyStaysInMemory(declaredLength: nil, limit: 1024), "absent: the stream decides, as for empty")
        XCTAssertEqual(Connection.bodyStaysInMemory(declaredLength: "1024", limit: 1024), true)
        XCTAssertEqual(Connection.bodyStaysInMemory(declaredLength: "1025", limit: 1024), false)
        XCTAssertNil(Connection.bodyStaysInMemory(declaredLength: "", limit: 1024), "the length alone does not tell")
        XCTAssertEqual(Connection.bodyStaysInMemory(declaredLength: "x", limit: 1024), true)
    }

    func testAnEmptyContentLengthWithNoBodyIsServed() throws {
        let response = try exchange(Wire.request(method: "GET", body: [], contentLength: ""))
        XCTAssertEqual(String(decoding: response.body, as: UTF8.self), RecordingResponder.echoLine(method: "GET", keep: false, body: []))
        XCTAssertEqual(harness.log.rejections, [])
    }

    /// Nginx sends CONTENT_LENGTH empty for every GET: those must stay on the event loop (a
    /// worker hand-off per health check or list cost 3x the CPU), and only a body that is
    /// actually there — of a length nobody announced — goes to a worker.
    func testAnEmptyContentLengthIsAnsweredOnTheLoopOnlyWhenTheBodyIsSeenToBeEmpty() throws {
        let client = try harness.connect()
        try client.send(Wire.request(1, keep: true, method: "GET", body: [], contentLength: ""))
        XCTAssertEqual(try client.readResponse(id: 1).status, 200)
        try client.send(Wire.request(2, keep: true, body: [1, 2, 3], contentLength: ""))
        XCTAssertEqual(String(decoding: try client.readResponse(id: 2).body, as: UTF8.self),
                       RecordingResponder.echoLine(id: 2, keep: true, body: [1, 2, 3]))
        try client.send(Wire.encode(Wire.head(3, keep: true, params: Wire.params(method: "GET", uri: "/echo", body: [], contentLength: ""))))
        Thread.sleep(forTimeInterval: 0.2)
        try client.send(Wire.body(3, []))
        XCTAssertEqual(try client.readResponse(id: 3).status, 200)
        try client.send(Wire.request(4, keep: true, body: [4]))
        XCTAssertEqual(try client.readResponse(id: 4).status, 200)
        XCTAssertEqual(harness.log.respondThreads, [EventLoop.threadName, ConnectionThreads.threadName,
                                                    ConnectionThreads.threadName, EventLoop.threadName],
                       "no body: loop; a body of unknown length: worker; the end not read yet: worker; a small known body: loop")
    }

    func testAMismatchOnASpooledBodyIsRejectedAndTheFileDeleted() throws {
        let response = try exchange(Wire.request(body: Pattern.bytes(50_000), contentLength: "60000"))
        XCTAssertEqual(String(decoding: response.stdout, as: UTF8.self), Self.mismatchAnswer)
        XCTAssertEqual(harness.spoolFiles(), [])
        XCTAssertEqual(harness.log.respondCount, 0)
    }

    func testADeclaredBodyOverTheLimitIsAnswered413AndNotStored() throws {
        let response = try exchange(Wire.request(body: Pattern.bytes(100_001)))
        XCTAssertEqual(String(decoding: response.stdout, as: UTF8.self), Self.tooLargeAnswer)
        XCTAssertEqual(harness.spoolFiles(), [])
        XCTAssertEqual(harness.log.rejections, [.bodyTooLarge])
        XCTAssertEqual(harness.log.respondCount, 0)
    }

    func testABodyAtTheLimitIsServed() throws {
        let body = Pattern.bytes(100_000)
        let response = try exchange(Wire.request(body: body))
        XCTAssertEqual(String(decoding: response.body, as: UTF8.self), RecordingResponder.echoLine(keep: false, body: body))
    }

    func testABodyOutgrowingItsContentLengthPastTheLimitAfterSpoolingIsAnswered413AndTheFileDeleted() throws {
        let client = try harness.connect()
        try client.send(Wire.encode(Wire.head(1, keep: true, params: [("REQUEST_METHOD", "POST"), ("CONTENT_LENGTH", "20")]))
            + Wire.body(1, Pattern.bytes(60_000), end: false))
        XCTAssertTrue(harness.waitForSpoolFile())
        try client.send(Wire.body(1, Pattern.bytes(60_000)))

        let response = try client.readResponse(id: 1)
        XCTAssertEqual(String(decoding: response.stdout, as: UTF8.self), Self.tooLargeAnswer)
        XCTAssertTrue(response.isCleanlyEnded)
        try client.send(Wire.request(2, keep: true, body: [7]))
        XCTAssertEqual(try client.readResponse(id: 2).status, 200, "the connection goes on after a refused body")
        XCTAssertEqual(harness.spoolFiles(), [])
        XCTAssertEqual(harness.log.rejections, [.bodyTooLarge])
        XCTAssertEqual(harness.log.respondCount, 1)
    }

    func testAPeerThatDisconnectsMidBodyEndsTheConnectionAndTheFileIsDeleted() throws {
        let client = try harness.connect()
        try client.send(Wire.encode(Wire.head(1, keep: true, params: [("REQUEST_METHOD", "POST"), ("CONTENT_LENGTH", "90000")]))
            + Wire.body(1, Pattern.bytes(40_000), end: false))
        XCTAssertTrue(harness.waitForSpoolFile())
        client.close()
        XCTAssertTrue(client.waitForRunToReturn(), "run() returns when the web server goes away")
        XCTAssertEqual(harness.spoolFiles(), [])
        XCTAssertEqual(harness.log.all, [])
    }
}
