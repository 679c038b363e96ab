import XCTest
@testable import FastCGI
import PsyxTestSupport

/// One request at a time per connection: a second BEGIN_REQUEST is refused with
/// CANT_MPX_CONN, ABORT_REQUEST ends the current request and frees its body.
final class ConnectionMultiplexTests: XCTestCase {
    private var harness: SocketPairHarness!

    override func setUpWithError() throws {
        harness = try SocketPairHarness(memoryBodyLimit: 1024)
    }

    override func tearDown() {
        harness.tearDown()
    }

    func testASecondBeginRequestDuringTheBodyIsRefusedAndTheFirstCompletes() throws {
        let client = try harness.connect()
        let body = Pattern.bytes(10)
        try client.send(Wire.encode(Wire.head(1, keep: true, params: Wire.params(method: "POST", uri: "/echo", body: body)))
            + Wire.body(1, Array(body[0..<5]), end: false))

        try client.send(Wire.request(2, keep: true, uri: "/second", body: [9, 9, 9]))
        XCTAssertEqual(try client.nextRecord(), Record(.endRequest, requestID: 2, content: [0, 0, 0, 0, 1, 0, 0, 0]),
                       "END_REQUEST with FCGI_CANT_MPX_CONN for the second id")
        XCTAssertTrue(client.staysQuiet(), "the first request is still waiting for its body")

        try client.send(Wire.body(1, Array(body[5...])))
        let response = try client.readResponse(id: 1)
        XCTAssertTrue(response.isCleanlyEnded)
        XCTAssertEqual(String(decoding: response.body, as: UTF8.self), RecordingResponder.echoLine(keep: true, body: body))
        XCTAssertEqual(harness.log.all.count, 1, "the refused request never reaches the responder")

        try client.send(Wire.request(2, keep: false, uri: "/second", body: [9, 9, 9]))
        XCTAssertEqual(String(decoding: try client.readResponse(id: 2).body, as: UTF8.self),
                       RecordingResponder.echoLine(uri: "/second", id: 2, keep: false, body: [9, 9, 9]))
        XCTAssertTrue(client.readsEndOfStream())
    }

    func testAbortDuringASpooledBodyEndsTheRequestDeletesTheFileAndKeepsTheConnection() throws {
        let client = try harness.connect()
        try client.send(Wire.encode(Wire.head(1, keep: true, params: [("REQUEST_METHOD", "POST"), ("REQUEST_URI", "/big"),
                                                                      ("CONTENT_LENGTH", "200000")]))
            + Wire.body(1, Pattern.bytes(100_000), end: false))
        XCTAssertTrue(harness.waitForSpoolFile(), "a body over memoryBodyLimit is spooled to a file")

        try client.send([Send.abort(1)])
        XCTAssertEqual(try client.nextRecord(), Record(.endRequest, requestID: 1, content: [0, 0, 0, 0, 0, 0, 0, 0]))
        XCTAssertTrue(Wait.until(timeout: 2) { harness.spoolFiles().isEmpty }, "the aborted request's spool file is deleted at once")

        try client.send(Wire.request(2, keep: true, body: [1, 2, 3]))
        let response = try client.readResponse(id: 2)
        XCTAssertEqual(String(decoding: response.body, as: UTF8.self), RecordingResponder.echoLine(id: 2, keep: true, body: [1, 2, 3]))
        XCTAssertEqual(harness.spoolFiles(), [])
        XCTAssertEqual(harness.log.respondCount, 1, "the aborted request never reaches the responder")
        XCTAssertEqual(harness.log.rejections, [])
    }

    func testAbortWithoutKeepConnEndsTheRequestAndClosesTheConnection() throws {
        let client = try harness.connect()
        try client.send(Wire.encode(Wire.head(1, keep: false, params: [("REQUEST_METHOD", "POST"), ("CONTENT_LENGTH", "90000")]))
            + Wire.body(1, Pattern.bytes(50_000), end: false))
        XCTAssertTrue(harness.waitForSpoolFile())

        try client.send([Send.abort(1)])
        XCTAssertEqual(try client.nextRecord(), Record(.endRequest, requestID: 1, content: [0, 0, 0, 0, 0, 0, 0, 0]))
        XCTAssertTrue(client.readsEndOfStream())
        XCTAssertTrue(client.waitForRunToReturn())
        XCTAssertEqual(harness.spoolFiles(), [])
        XCTAssertEqual(harness.log.all, [])
    }

    func testAbortBeforeTheParamsEndEndsTheRequest() throws {
        let client = try harness.connect()
        try client.send([Send.begin(5, flags: 0), Send.params(5, [("REQUEST_METHOD", "GET")]), Send.abort(5)])
        XCTAssertEqual(try client.nextRecord(), Record(.endRequest, requestID: 5, content: [0, 0, 0, 0, 0, 0, 0, 0]))
        XCTAssertTrue(client.readsEndOfStream(), "without FCGI_KEEP_CONN the connection closes after the END_REQUEST")
        XCTAssertTrue(client.waitForRunToReturn())
        XCTAssertEqual(harness.log.all, [])
    }

    func testAbortBeforeTheParamsEndKeepsAKeptConnection() throws {
        let client = try harness.connect()
        try client.send([Send.begin(5, flags: 1), Send.params(5, [("REQUEST_METHOD", "GET")]), Send.abort(5)])
        XCTAssertEqual(try client.nextRecord(), Record(.endRequest, requestID: 5, content: [0, 0, 0, 0, 0, 0, 0, 0]))
        let body = Pattern.bytes(10)
        try client.send(Wire.encode(Wire.head(6, keep: true, params: Wire.params(method: "POST", uri: "/echo", body: body)))
            + Wire.body(6, body))
        let response = try client.readResponse(id: 6)
        XCTAssertTrue(response.isCleanlyEnded, "FCGI_KEEP_CONN holds after an abort in the params phase")
        XCTAssertEqual(String(decoding: response.body, as: UTF8.self), RecordingResponder.echoLine(id: 6, keep: true, body: body))
    }

    func testAbortOfAnotherIdIsIgnored() throws {
        let client = try harness.connect()
        let body = Pattern.bytes(300)
        try client.send(Wire.encode(Wire.head(1, keep: true, params: Wire.params(method: "POST", uri: "/echo", body: body)))
            + Wire.body(1, Array(body[0..<100]), end: false))
        try client.send([Send.abort(2)])
        XCTAssertTrue(client.staysQuiet(), "no END_REQUEST for a request that is not active")

        try client.send(Wire.body(1, Array(body[100...])))
        let response = try client.readResponse(id: 1)
        XCTAssertTrue(response.isCleanlyEnded)
        XCTAssertEqual(String(decoding: response.body, as: UTF8.self), RecordingResponder.echoLine(keep: true, body: body))
    }
}
