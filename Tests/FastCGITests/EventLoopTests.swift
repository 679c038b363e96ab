import Dispatch
import XCTest
@testable import FastCGI
import PsyxTestSupport

/// The event loop with its workers: inline answers on the loop, hand-off of a
/// request that may wait, the connection coming back, and the loop's own timeouts.
final class EventLoopTests: XCTestCase {
    private var harness: SocketPairHarness?

    override func tearDown() {
        harness?.tearDown()
    }

    private func start(inline: Bool = true, requestReadTimeout: Double = 60, eventLoops: Int = 1) throws -> SocketPairHarness {
        let made = try SocketPairHarness(maxConnections: 100, requestReadTimeout: requestReadTimeout, inline: inline,
                                         eventLoops: eventLoops)
        harness = made
        return made
    }

    func testASlowHandedOffRequestDoesNotHoldInlineRequestsOnTheSameLoop() throws {
        let harness = try start(eventLoops: 1)
        let slow = try harness.connect()
        try slow.send(Wire.request(1, keep: true, uri: "/slow", body: [1]))
        XCTAssertEqual(harness.log.slowEntered.wait(timeout: .now() + 5), .success)

        let quick = try harness.connect()
        for id in UInt16(1)...3 {
            try quick.send(Wire.request(id, keep: true, body: [UInt8(id)]))
            XCTAssertEqual(String(decoding: try quick.readResponse(id: id).body, as: UTF8.self),
                           RecordingResponder.echoLine(id: id, keep: true, body: [UInt8(id)]),
                           "answered on the one loop while a worker waits in /slow")
        }

        harness.log.slowGate.signal()
        XCTAssertEqual(String(decoding: try slow.readResponse(id: 1).body, as: UTF8.self),
                       RecordingResponder.echoLine(uri: "/slow", keep: true, body: [1]))
        try slow.send(Wire.request(2, keep: true, body: [2]))
        XCTAssertEqual(String(decoding: try slow.readResponse(id: 2).body, as: UTF8.self),
                       RecordingResponder.echoLine(id: 2, keep: true, body: [2]),
                       "the worker gave the connection back to the loop")
    }

    func testHandedOffRequestsInTurnAndPipelinedKeepTheConnection() throws {
        let harness = try start(inline: false)
        let client = try harness.connect()
        for id in UInt16(1)...3 {
            try client.send(Wire.request(id, keep: true, body: Pattern.bytes(Int(id) * 100)))
            XCTAssertEqual(String(decoding: try client.readResponse(id: id).body, as: UTF8.self),
                           RecordingResponder.echoLine(id: id, keep: true, body: Pattern.bytes(Int(id) * 100)))
        }
        try client.send(Wire.request(4, keep: true, body: [4]) + Wire.request(5, keep: false, body: [5]))
        XCTAssertEqual(String(decoding: try client.readResponse(id: 4).body, as: UTF8.self),
                       RecordingResponder.echoLine(id: 4, keep: true, body: [4]))
        XCTAssertEqual(String(decoding: try client.readResponse(id: 5).body, as: UTF8.self),
                       RecordingResponder.echoLine(id: 5, keep: false, body: [5]))
        XCTAssertTrue(client.readsEndOfStream())
        XCTAssertEqual(harness.log.respondCount, 5)
    }

    func testAnInlineRequestArrivingByteByByteIsAnswered() throws {
        let harness = try start()
        let client = try harness.connect()
        let body = Pattern.bytes(300)
        for byte in Wire.request(7, keep: true, body: body) {
            try client.send([byte])
        }
        XCTAssertEqual(String(decoding: try client.readResponse(id: 7).body, as: UTF8.self),
                       RecordingResponder.echoLine(id: 7, keep: true, body: body))
    }

    func testAnInlineRequestStalledMidBodyIsDroppedByTheLoopAfterTheReadTimeout() throws {
        let harness = try start(requestReadTimeout: 0.3)
        let client = try harness.connect()
        try client.send(Wire.encode(Wire.head(1, keep: true, params: [("REQUEST_METHOD", "POST"), ("CONTENT_LENGTH", "10")]))
            + Wire.body(1, [1, 2, 3], end: false))
        let started = Date()
        XCTAssertTrue(client.waitForRunToReturn(timeout: 5))
        let waited = Date().timeIntervalSince(started)
        XCTAssertGreaterThan(waited, 0.2)
        XCTAssertLessThan(waited, 2)
        XCTAssertTrue(client.readsEndOfStream())
        XCTAssertEqual(harness.log.all, [])
    }

    func testManyConnectionsAtOnceOnTwoLoopsAreEachAnsweredInOrder() throws {
        let harness = try start(eventLoops: 2)
        // Each client is used by its own iteration only.
        nonisolated(unsafe) let clients = try (0..<40).map { _ in try harness.connect() }
        let log = harness.log
        let failures = Locked(0)
        DispatchQueue.concurrentPerform(iterations: clients.count) { index in
            let client = clients[index]
            for round in 0..<25 {
                let id = UInt16(round + 1)
                let body = Pattern.bytes(index * 7 + round, seed: index)
                // Every third request goes to a worker and comes back.
                let uri = round % 3 == 0 ? "/slow" : "/echo"
                if uri == "/slow" { log.slowGate.signal() }
                let answer = try? client.send(Wire.request(id, keep: true, uri: uri, body: body))
                let response = answer.flatMap { try? client.readResponse(id: id) }
                let expected = RecordingResponder.echoLine(uri: uri, id: id, keep: true, body: body)
                if response.map({ String(decoding: $0.body, as: UTF8.self) }) != expected {
                    failures.withLock { $0 += 1 }
                }
            }
        }
        XCTAssertEqual(failures.withLock { $0 }, 0)
        XCTAssertEqual(harness.log.respondCount, 40 * 25)
    }

    func testStopLetsAnInlineRequestMidBodyFinishThenCloses() throws {
        let harness = try start()
        let client = try harness.connect()
        let idle = try harness.connect()
        try client.send(Wire.encode(Wire.head(1, keep: true, params: Wire.params(method: "POST", uri: "/echo", body: [1, 2, 3, 4])))
            + Wire.body(1, [1, 2], end: false))
        XCTAssertTrue(Wait.until(timeout: 2) { harness.server.counters.open == 2 })
        XCTAssertTrue(client.staysQuiet(milliseconds: 100))

        harness.server.stop()
        XCTAssertTrue(idle.readsEndOfStream(), "an idle connection closes at once")
        try client.send(Wire.body(1, [3, 4]))
        XCTAssertEqual(String(decoding: try client.readResponse(id: 1).body, as: UTF8.self),
                       RecordingResponder.echoLine(keep: true, body: [1, 2, 3, 4]))
        XCTAssertTrue(client.readsEndOfStream(), "closed after its answer while stopping")
    }
}
