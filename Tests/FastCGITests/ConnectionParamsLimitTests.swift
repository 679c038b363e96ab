import XCTest
@testable import FastCGI

/// Params over the limits (more than 1,000 pairs, more than 1 MiB) are answered 431 with
/// END_REQUEST, their body dropped, and the kept connection serves the next request.
final class ConnectionParamsLimitTests: XCTestCase {
    private var harness: SocketPairHarness!

    override func setUpWithError() throws {
        harness = try SocketPairHarness(memoryBodyLimit: 1024)
    }

    override func tearDown() {
        harness.tearDown()
    }

    private static let refusal = "Status: 431 Request Header Fields Too Large\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
        + "Request Header Fields Too Large\n"

    /// Sends `records` and a 5,000-byte body for request 1, checks the 431, then that request 2 is served.
    private func assertRefusedAndConnectionGoesOn(_ records: [Record], line: UInt = #line) throws {
        let client = try harness.connect()
        try client.send(Wire.encode(records) + Wire.body(1, Pattern.bytes(5000)))
        let response = try client.readResponse(id: 1)
        XCTAssertEqual(String(decoding: response.stdout, as: UTF8.self), Self.refusal, line: line)
        XCTAssertTrue(response.isCleanlyEnded, line: line)

        try client.send(Wire.request(2, keep: true, body: [1, 2, 3]))
        XCTAssertEqual(String(decoding: try client.readResponse(id: 2).body, as: UTF8.self),
                       RecordingResponder.echoLine(id: 2, keep: true, body: [1, 2, 3]), "the same connection serves on", line: line)
        XCTAssertEqual(harness.log.rejections, [.headersTooLarge], line: line)
        XCTAssertEqual(harness.log.respondCount, 1, "only the second request reached the handler", line: line)
        XCTAssertEqual(harness.spoolFiles(), [], "the refused body was never stored", line: line)
    }

    func testMoreThanAThousandParamsAre431AndTheConnectionStaysUsable() throws {
        let many = (0..<1001).map { (name: "HTTP_X_\($0)", value: "v") }
        let params = Wire.params(method: "POST", uri: "/echo", body: Pattern.bytes(5000)) + many
        // The pairs in records of at most 65535 bytes, as a web server cuts them.
        let encoded = NameValuePairs.encode(params)
        var records = [Send.begin(1, flags: 1)]
        for start in stride(from: 0, to: encoded.count, by: 60_000) {
            records.append(Record(.params, requestID: 1, content: Array(encoded[start..<min(start + 60_000, encoded.count)])))
        }
        records.append(Send.endParams(1))
        try assertRefusedAndConnectionGoesOn(records)
        guard case .reject(_, let logged)? = harness.log.all.first else { return XCTFail("\(harness.log.all)") }
        XCTAssertEqual(logged["REQUEST_URI"], "/echo", "the pairs within the limit still name the route")
        XCTAssertEqual(logged.count, 1000)
    }

    func testParamsOverOneMebibyteAre431AndTheConnectionStaysUsable() throws {
        let value = String(repeating: "x", count: 60_000)
        var records = [Send.begin(1, flags: 1), Send.params(1, Wire.params(method: "POST", uri: "/echo", body: Pattern.bytes(5000)))]
        records += (0..<20).map { Send.params(1, [(name: "HTTP_X_\($0)", value: value)]) }
        records.append(Send.endParams(1))
        try assertRefusedAndConnectionGoesOn(records)
    }

    func testAThousandParamsAreServed() throws {
        let client = try harness.connect()
        // With the four of `Wire.params`: exactly 1,000.
        let extra = (0..<996).map { (name: "HTTP_X_\($0)", value: "v") }
        try client.send(Wire.request(1, keep: false, body: [7], extra: extra))
        XCTAssertEqual(try client.readResponse(id: 1).status, 200)
        XCTAssertEqual(harness.log.rejections, [])
    }
}
