import Dispatch
import XCTest
#if canImport(Glibc)
import Glibc
#endif
@testable import FastCGI
import PsyxTestSupport

/// `stop()`: no new connections, idle ones closed now, a request in flight
/// finishes, then `run()` returns.
final class ServerStopTests: XCTestCase {
    func testStopFinishesTheRequestInFlightClosesIdleConnectionsAndRunReturns() throws {
        let running = try RunningServer(maxConnections: 4)
        defer { running.tearDown() }

        let fresh = try running.connect()
        let kept = try running.connect()
        try kept.send(Wire.request(1, keep: true, body: [1]))
        XCTAssertEqual(try kept.readResponse(id: 1).status, 200)
        let busy = try running.connect()
        try busy.send(Wire.request(2, keep: true, uri: "/slow", body: [5, 6, 7]))
        XCTAssertEqual(running.log.slowEntered.wait(timeout: .now() + 5), .success, "the slow request reached the handler")
        XCTAssertTrue(Wait.until(timeout: 5) { running.server.counters.open == 3 })

        running.server.stop()
        XCTAssertTrue(fresh.readsEndOfStream(), "a connection that never sent a request is closed at once")
        XCTAssertTrue(kept.readsEndOfStream(), "a kept connection between requests is closed at once")
        XCTAssertFalse(running.waitForRunToReturn(timeout: 0.2), "run() waits for the request in flight")
        XCTAssertTrue(Wait.until(timeout: 5) { (try? RawClient.connect(unixPath: running.socketPath)) == nil },
                      "no new connection is accepted")

        running.log.slowGate.signal()
        let response = try busy.readResponse(id: 2)
        XCTAssertTrue(response.isCleanlyEnded)
        XCTAssertEqual(String(decoding: response.body, as: UTF8.self),
                       RecordingResponder.echoLine(uri: "/slow", id: 2, keep: true, body: [5, 6, 7]))
        XCTAssertTrue(busy.readsEndOfStream(), "the connection closes after its last response even with FCGI_KEEP_CONN")
        XCTAssertTrue(running.waitForRunToReturn(), "run() returns once the request in flight is done")
        XCTAssertEqual(running.server.counters.open, 0)
        XCTAssertFalse(FileManager.default.fileExists(atPath: running.socketPath), "the socket file is removed")
    }

    func testStopOfAnIdleServerReturnsAtOnce() throws {
        let running = try RunningServer(maxConnections: 2)
        defer { running.tearDown() }
        let client = try running.connect()
        try client.send(Wire.request(1, keep: false, body: []))
        XCTAssertEqual(try client.readResponse(id: 1).status, 200)
        XCTAssertTrue(client.readsEndOfStream())

        let started = Date()
        running.server.stop()
        XCTAssertTrue(running.waitForRunToReturn(timeout: 2))
        XCTAssertLessThan(Date().timeIntervalSince(started), 1)
    }
}
