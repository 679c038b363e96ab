#if canImport(Glibc)
import Glibc
#endif
import Foundation
import PsyxTestSupport
import XCTest

/// Overload and slow clients (issue 6): connections beyond the cap get 503 at
/// once, slow bodies do not tie up the responder, and aborted uploads leak
/// neither descriptors, nor files, nor memory.
final class OverloadEndToEndTests: EndToEndTestCase {
    /// The cap (8) is taken by connections that never finish their request; 1000
    /// more connections, each with a whole request, are all answered 503 within a
    /// few seconds, and the service answers normally once the slots are free.
    func testThousandConnectionsBeyondTheCapGet503AtOnce() throws {
        let stack = try startStack(environment: ["PSYX_MAX_CONNECTIONS": "8"])
        let before = try ReliabilityProbe.connections(stack)
        let flood = ReliabilityFastCGIFlood(socketPath: stack.socketPath)
        var holders: [Int32] = []
        defer { for fd in holders { close(fd) } }
        for _ in 0..<8 { holders.append(try flood.hold()) }

        let outcome = try flood.run(count: 1000, params: AdminAccessEndToEndTests.params(path: "/api/health"))
        let answered503 = outcome.statuses.filter { $0 == 503 }.count
        XCTAssertEqual(answered503, 1000, "statuses other than 503: \(outcome.statuses.filter { $0 != 503 }.prefix(20))")
        XCTAssertLessThan(outcome.seconds, 5, "1000 refusals took \(outcome.seconds) s")

        for fd in holders { close(fd) }
        holders = []
        let after = try waitForConnections(stack, atMost: before.open + 1)
        XCTAssertGreaterThanOrEqual(after.rejected - before.rejected, 1000)
        // Normal service: requests through Nginx and straight to the socket.
        let client = ExperimentClient(stack: stack)
        XCTAssertEqual(try client.list().count, 0)
        XCTAssertEqual(try stack.http.repeatedGet("/api/health", count: 50), Array(repeating: 200, count: 50))
        XCTAssertEqual(try stack.fastCGI.request(AdminAccessEndToEndTests.params(path: "/api/health")).status, 200)

        ReliabilityProbe.report("overload", [
            "cap": 8, "held": 8, "connections": 1000, "answered_503": answered503,
            "seconds_to_answer_all": String(format: "%.2f", outcome.seconds),
            "seconds_to_send_all": String(format: "%.2f", outcome.sendSeconds),
            "rejected_counter": after.rejected - before.rejected, "afterwards": "200",
        ])
    }

    /// Ten clients send their bodies through Nginx at one byte per second while
    /// the responder's cap is 4: the other requests meanwhile answer at once,
    /// because Nginx receives whole bodies before it passes them on.
    func testSlowBodiesDoNotHoldOtherRequests() throws {
        let stack = try startStack(environment: ["PSYX_MAX_CONNECTIONS": "4", "PSYX_PACK_SIZE": "5"])
        let client = ExperimentClient(stack: stack)
        XCTAssertEqual(try client.upload(PackFixture(name: "slow", pairs: 5).body()).status, 200)
        let http = ReliabilityHTTP(port: stack.port)
        let slowSeconds = 5

        let slow = (0..<10).map { index in
            ReliabilityThreads.Background { () -> Int in
                let participant = ParticipantFixture(no: "SLOW\(index)")
                guard let body = try? JSONSerialization.data(withJSONObject: participant.details),
                      let fd = try? http.connect() else { return -1 }
                defer { close(fd) }
                let bytes = Array(body)
                do {
                    try ReliabilityHTTP.send(fd, http.head("POST", "/api/reply/start", headers: ["Content-Type: application/json"],
                                                           contentLength: bytes.count))
                    for byte in bytes.prefix(slowSeconds) {
                        try ReliabilityHTTP.send(fd, [byte])
                        sleep(1)
                    }
                    // The rest at once, one client after the other: ten requests landing in the
                    // same millisecond would exceed the cap of 4 on their own (503, rightly).
                    usleep(UInt32(index) * 100_000)
                    try ReliabilityHTTP.send(fd, bytes.dropFirst(slowSeconds))
                    return try ReliabilityHTTP.readResponse(fd).status
                } catch {
                    return -2
                }
            }
        }
        usleep(300_000)
        var slowest = 0.0
        var statuses: [Int] = []
        let end = Date().addingTimeInterval(Double(slowSeconds) - 1.5)
        var index = 0
        while Date() < end {
            let started = Date()
            let answer = index % 2 == 0
                ? try http.request("GET", "/api/health")
                : try http.post("/api/reply/start", json: ParticipantFixture(no: "FAST\(index)").details)
            slowest = max(slowest, Date().timeIntervalSince(started))
            statuses.append(answer.status)
            index += 1
            usleep(20_000)
        }
        XCTAssertGreaterThanOrEqual(statuses.count, 20)
        XCTAssertEqual(Set(statuses), [200], "\(statuses)")
        XCTAssertLessThan(slowest, 1.0, "a request waited behind the slow clients")

        let slowStatuses = slow.map { $0.wait(seconds: 30) ?? -3 }
        XCTAssertEqual(slowStatuses, Array(repeating: 200, count: 10), "the slow bodies themselves must be served too")

        ReliabilityProbe.report("slow-clients", [
            "slow_clients": 10, "byte_per_second_for_s": slowSeconds, "cap": 4, "other_requests": statuses.count,
            "slowest_other_ms": Int(slowest * 1000), "slow_clients_answered_200": slowStatuses.filter { $0 == 200 }.count,
        ])
    }

    /// Waits until psyx reports at most `limit` open connections (Nginx's idle
    /// keep-alive connections and the health request itself count).
    func waitForConnections(_ stack: TestStack, atMost limit: Int) throws -> (accepted: Int, open: Int, rejected: Int) {
        let deadline = Date().addingTimeInterval(10)
        var figures = try ReliabilityProbe.connections(stack)
        while figures.open > limit && Date() < deadline {
            usleep(50_000)
            figures = try ReliabilityProbe.connections(stack)
        }
        return figures
    }
}
