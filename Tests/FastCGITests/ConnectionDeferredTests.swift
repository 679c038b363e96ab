import XCTest
@testable import FastCGI

/// `Response.Body.deferred`: a request answered on an event loop that must wait after all hands the
/// making of its answer to a worker thread; the connection goes on afterwards.
final class ConnectionDeferredTests: XCTestCase {
    func testADeferredAnswerIsMadeByAWorkerEvenWhenAskedOnTheLoop() throws {
        for inline in [true, false] {
            let harness = try SocketPairHarness(inline: inline)
            defer { harness.tearDown() }
            let client = try harness.connect()
            try client.send(Wire.request(1, keep: true, uri: "/deferred"))
            let response = try client.readResponse(id: 1)
            XCTAssertEqual(response.status, 200)
            XCTAssertEqual(String(decoding: response.body, as: UTF8.self), ConnectionThreads.threadName)
            XCTAssertEqual(harness.log.respondThreads, [inline ? EventLoop.threadName : ConnectionThreads.threadName])
            try client.send(Wire.request(2, keep: true))
            XCTAssertEqual(try client.readResponse(id: 2).status, 200, "the connection goes on")
        }
    }

    func testResolvedMakesItOnTheCallingThread() {
        let deferred = Response.deferred { .deferred { Response(status: 201, contentType: "text/plain", body: [1]) } }
        XCTAssertEqual(deferred.resolved.status, 201)
        guard case .bytes(let bytes) = deferred.resolved.body else { return XCTFail("not resolved") }
        XCTAssertEqual(bytes, [1])
    }
}
