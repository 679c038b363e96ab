import XCTest
@testable import FastCGI

/// FCGI_KEEP_CONN over a socket pair: closed after one response when unset,
/// kept for the next request when set; management records on a live connection.
final class ConnectionKeepAliveTests: XCTestCase {
    private var harness: SocketPairHarness!

    override func setUpWithError() throws {
        harness = try SocketPairHarness(maxConnections: 7)
    }

    override func tearDown() {
        harness.tearDown()
    }

    func testWithoutKeepConnOneRequestIsAnsweredThenTheServerCloses() throws {
        let client = try harness.connect()
        let body = Array("hello".utf8)
        try client.send(Wire.request(1, keep: false, body: body))

        let response = try client.readResponse(id: 1)
        let expected = "Status: 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
            + RecordingResponder.echoLine(keep: false, body: body)
        XCTAssertEqual(response.records, [
            Record(.stdout, requestID: 1, content: Array(expected.utf8)),
            Record(.stdout, requestID: 1),
            Record(.endRequest, requestID: 1, content: [0, 0, 0, 0, 0, 0, 0, 0]),
        ])
        XCTAssertTrue(client.readsEndOfStream(), "the server must close a connection without FCGI_KEEP_CONN")
        XCTAssertTrue(client.waitForRunToReturn())
        XCTAssertEqual(harness.log.all, [
            .respond(params: ["REQUEST_METHOD": "POST", "REQUEST_URI": "/echo", "SCRIPT_NAME": "/echo", "CONTENT_LENGTH": "5"],
                     count: 5, checksum: Checksum.of(body), storage: .memory),
        ])
    }

    func testTheResponseBytesOnTheWireArePaddedRecords() throws {
        let client = try harness.connect()
        try client.send(Wire.request(258, keep: false, method: "GET", uri: "/x", contentLength: .some(nil)))
        let text = "Status: 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
            + RecordingResponder.echoLine(method: "GET", uri: "/x", id: 258, keep: false, body: [])
        let content = Array(text.utf8)
        let padding = (8 - content.count % 8) % 8
        var expected = TestBytes.header(type: 6, id: 258, contentLength: content.count, padding: padding)
            + content + [UInt8](repeating: 0, count: padding)
        expected += TestBytes.record(.stdout, id: 258) + Send.endRequestBytes(258, protocolStatus: 0)

        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = buffer.withUnsafeMutableBytes { FileDescriptorIO.read(client.fd, into: $0) }
            XCTAssertGreaterThanOrEqual(n, 0, "read timed out")
            if n <= 0 { break }
            received += buffer[0..<n]
        }
        XCTAssertEqual(received, expected)
    }

    func testWithKeepConnThreeRequestsInTurnShareOneConnection() throws {
        let client = try harness.connect()
        for (index, id) in [UInt16(1), 1, 9].enumerated() {
            let body = Pattern.bytes(100 * index, seed: index)
            try client.send(Wire.request(id, keep: true, uri: "/echo/\(index)", body: body))
            let response = try client.readResponse(id: id)
            XCTAssertTrue(response.isCleanlyEnded, "request \(index)")
            XCTAssertEqual(response.head, "Status: 200 OK\r\nContent-Type: text/plain; charset=utf-8")
            XCTAssertEqual(String(decoding: response.body, as: UTF8.self),
                           RecordingResponder.echoLine(uri: "/echo/\(index)", id: id, keep: true, body: body))
            XCTAssertTrue(client.staysQuiet(), "the connection must stay open after request \(index)")
        }
        XCTAssertFalse(client.waitForRunToReturn(timeout: 0.05))
        XCTAssertEqual(harness.log.respondCount, 3)

        client.close()
        XCTAssertTrue(client.waitForRunToReturn(), "run() must return once the web server closes")
    }

    func testWithKeepConnPipelinedRequestsAreAnsweredInOrder() throws {
        let client = try harness.connect()
        let bodies = (0..<3).map { Pattern.bytes(10 + $0, seed: $0) }
        var bytes: [UInt8] = []
        for (index, body) in bodies.enumerated() {
            bytes += Wire.request(UInt16(index + 1), keep: index < 2, body: body)
        }
        try client.send(bytes)
        for (index, body) in bodies.enumerated() {
            let response = try client.readResponse(id: UInt16(index + 1))
            XCTAssertTrue(response.isCleanlyEnded)
            XCTAssertEqual(String(decoding: response.body, as: UTF8.self),
                           RecordingResponder.echoLine(id: UInt16(index + 1), keep: index < 2, body: body))
        }
        XCTAssertTrue(client.readsEndOfStream(), "the last request did not ask to keep the connection")
    }

    func testGetValuesIsAnsweredAndTheConnectionServesARequestAfterwards() throws {
        let client = try harness.connect()
        let query = NameValuePairs.encode([("FCGI_MAX_CONNS", ""), ("FCGI_MAX_REQS", ""), ("FCGI_MPXS_CONNS", ""), ("OTHER", "")])
        try client.send([Record(.getValues, requestID: 0, content: query)])

        let result = try client.nextRecord()
        XCTAssertEqual(result.kind, RecordType.getValuesResult)
        XCTAssertEqual(result.requestID, 0)
        let pairs: [(name: String, value: String)] = try NameValuePairs.decode(result.content)
        XCTAssertEqual(pairs.map(\.name), ["FCGI_MAX_CONNS", "FCGI_MAX_REQS", "FCGI_MPXS_CONNS"])
        XCTAssertEqual(pairs.map(\.value), ["7", "7", "0"])
        XCTAssertTrue(client.staysQuiet(), "GET_VALUES must not close the connection")

        try client.send(Wire.request(1, keep: false, body: [1, 2, 3]))
        let response = try client.readResponse(id: 1)
        XCTAssertEqual(response.status, 200)
        XCTAssertTrue(response.isCleanlyEnded)
    }

    func testAnUnknownManagementTypeIsAnsweredUnknownType() throws {
        let client = try harness.connect()
        try client.send([Record(type: 42, requestID: 0, content: [1, 2, 3])])
        XCTAssertEqual(try client.nextRecord(), Record(.unknownType, requestID: 0, content: [42, 0, 0, 0, 0, 0, 0, 0]))
        XCTAssertTrue(client.staysQuiet())
    }

    func testAnotherRoleIsAnsweredUnknownRoleAndTheConnectionStays() throws {
        let client = try harness.connect()
        try client.send([Send.begin(3, role: 2, flags: 1)])
        XCTAssertEqual(try client.nextRecord(), Record(.endRequest, requestID: 3, content: [0, 0, 0, 0, 3, 0, 0, 0]))

        try client.send(Wire.request(4, keep: true, body: []))
        XCTAssertEqual(try client.readResponse(id: 4).status, 200)
        XCTAssertEqual(harness.log.respondCount, 1)
    }
}
