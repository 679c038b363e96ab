import XCTest
@testable import FastCGI

/// A malformed or truncated stream closes that one connection; the server goes on.
final class ConnectionGarbageTests: XCTestCase {
    private var harness: SocketPairHarness!

    override func setUpWithError() throws {
        harness = try SocketPairHarness(memoryBodyLimit: 1024)
    }

    override func tearDown() {
        harness.tearDown()
    }

    private func assertClosedThenServerStillServes(file: StaticString = #filePath, line: UInt = #line) throws {
        let next = try harness.connect()
        try next.send(Wire.request(1, keep: false, body: [4, 2]))
        let response = try next.readResponse(id: 1)
        XCTAssertEqual(String(decoding: response.body, as: UTF8.self), RecordingResponder.echoLine(keep: false, body: [4, 2]),
                       "a new connection is served", file: file, line: line)
    }

    func testAWrongVersionClosesTheConnection() throws {
        let client = try harness.connect()
        try client.send([2, 1, 0, 1, 0, 8, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0])
        XCTAssertTrue(client.readsEndOfStream())
        XCTAssertTrue(client.waitForRunToReturn())
        XCTAssertEqual(harness.log.all, [])
        try assertClosedThenServerStillServes()
    }

    func testGarbageAfterAServedKeptRequestClosesTheConnection() throws {
        let client = try harness.connect()
        try client.send(Wire.request(1, keep: true, body: [1]))
        XCTAssertEqual(try client.readResponse(id: 1).status, 200)
        try client.send(Array("GET / HTTP/1.1\r\nHost: x\r\n\r\n".utf8))
        XCTAssertTrue(client.readsEndOfStream())
        XCTAssertTrue(client.waitForRunToReturn())
        try assertClosedThenServerStillServes()
    }

    func testGarbageInTheMiddleOfASpooledBodyClosesAndDeletesTheFile() throws {
        let client = try harness.connect()
        try client.send(Wire.encode(Wire.head(1, keep: true, params: [("CONTENT_LENGTH", "90000")]))
            + Wire.body(1, Pattern.bytes(30_000), end: false))
        XCTAssertTrue(harness.waitForSpoolFile())
        try client.send([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF])
        XCTAssertTrue(client.readsEndOfStream())
        XCTAssertTrue(client.waitForRunToReturn())
        XCTAssertEqual(harness.spoolFiles(), [])
        try assertClosedThenServerStillServes()
    }

    func testStdinBeforeTheParamsEndClosesTheConnection() throws {
        let client = try harness.connect()
        try client.send([Send.begin(1, flags: 1), Send.params(1, [("A", "b")]), Send.stdin(1, [1, 2])])
        XCTAssertTrue(client.readsEndOfStream())
        XCTAssertTrue(client.waitForRunToReturn())
        XCTAssertEqual(harness.log.all, [])
    }

    func testATruncatedRecordThenEndOfStreamEndsTheConnection() throws {
        let client = try harness.connect()
        let whole = Wire.request(1, keep: true, body: Pattern.bytes(500))
        try client.send(Array(whole.prefix(whole.count - 13)))
        XCTAssertTrue(client.staysQuiet(), "a cut record waits for more bytes")
        _ = shutdown(client.fd, Int32(SHUT_WR))
        XCTAssertTrue(client.readsEndOfStream())
        XCTAssertTrue(client.waitForRunToReturn())
        XCTAssertEqual(harness.log.all, [])
        try assertClosedThenServerStillServes()
    }
}
