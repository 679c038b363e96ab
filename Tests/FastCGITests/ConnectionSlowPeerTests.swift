import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif
@testable import FastCGI
import PsyxTestSupport

/// A peer that does not read never holds an event loop (issue 17 item 11): what the socket does
/// not take at once is written by a worker, and the loop serves its other connections meanwhile.
final class ConnectionSlowPeerTests: XCTestCase {
    private var harness: SocketPairHarness!

    override func setUpWithError() throws {
        // One loop: the stalled connection and the others share it.
        harness = try SocketPairHarness(eventLoops: 1)
    }

    override func tearDown() {
        harness.tearDown()
    }

    /// Another connection on the same loop is answered at once.
    private func assertLoopServesAnotherConnection(line: UInt = #line) throws {
        let other = try harness.connect()
        let started = Date()
        try other.send(Wire.request(1, keep: true, body: [1, 2, 3]))
        XCTAssertEqual(try other.readResponse(id: 1).status, 200, line: line)
        XCTAssertLessThan(Date().timeIntervalSince(started), 1, "the loop was held", line: line)
    }

    func testAnAnswerHeldInMemoryThatAPeerDoesNotReadIsFinishedOffTheLoop() throws {
        let stalled = try harness.connect()
        try stalled.send(Wire.request(1, keep: true, method: "GET", uri: "/bytes", contentLength: ""))
        XCTAssertTrue(Wait.until(timeout: 5) { self.harness.log.respondCount == 1 }, "answered on the loop")
        try assertLoopServesAnotherConnection()

        let response = try stalled.readResponse(id: 1)
        XCTAssertTrue(response.isCleanlyEnded)
        XCTAssertTrue(response.body == Pattern.bytes(StreamedBody.count), "the rest arrives whole and in order")
        try stalled.send(Wire.request(2, keep: true, body: [4]))
        XCTAssertEqual(try stalled.readResponse(id: 2).status, 200, "and the connection goes on")
        XCTAssertEqual(harness.log.respondThreads, [EventLoop.threadName, EventLoop.threadName, EventLoop.threadName],
                       "the worker only wrote; every request was answered on the loop")
    }

    func testAStreamedAnswerIsNeverProducedOnTheLoop() throws {
        let stalled = try harness.connect()
        try stalled.send(Wire.request(1, keep: true, method: "GET", uri: "/stream", contentLength: ""))
        XCTAssertTrue(Wait.until(timeout: 5) { self.harness.log.respondCount == 1 })
        try assertLoopServesAnotherConnection()
        let response = try stalled.readResponse(id: 1)
        XCTAssertTrue(response.isCleanlyEnded)
        XCTAssertTrue(response.body == Pattern.bytes(StreamedBody.count))
    }

    func testRecordsTheServerAnswersOnItsOwnDoNotHoldTheLoopEither() throws {
        let stalled = try harness.connect()
        // GET_VALUES answered one by one, never read: their answers fill the socket.
        let query = Record(.getValues, requestID: 0, content: NameValuePairs.encode([("FCGI_MPXS_CONNS", "")]))
        try stalled.send(Wire.encode(Array(repeating: query, count: 4000)))
        usleep(100_000)
        try assertLoopServesAnotherConnection()
        var answers = 0
        while answers < 4000, let record = try? stalled.nextRecord() {
            XCTAssertEqual(record.kind, .getValuesResult)
            answers += 1
        }
        XCTAssertEqual(answers, 4000, "every answer arrives once the peer reads")
    }
}
