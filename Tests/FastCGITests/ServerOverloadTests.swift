import Dispatch
import XCTest
#if canImport(Glibc)
import Glibc
#endif
@testable import FastCGI
import PsyxTestSupport

/// Over the connection cap the answer is `Status: 503` at once, never a hang.
final class ServerOverloadTests: XCTestCase {
    private static let overloadAnswer = "Status: 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nService Unavailable\n"

    /// `OverloadReply.send` on one end of a socket pair, run on its own thread.
    private func startOverloadReply(responder: any Responder, deadline: Double = 2) throws -> (RawClient, DispatchSemaphore) {
        var fds: [Int32] = [-1, -1]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue), 0, &fds) == 0 else {
            throw HarnessError.system("socketpair", errno)
        }
        let serverEnd = fds[1]
        let done = DispatchSemaphore(value: 0)
        Thread {
            OverloadReply.send(on: serverEnd, responder: responder, deadline: deadline)
            done.signal()
        }.start()
        return (try RawClient(fd: fds[0]), done)
    }

    func testOverloadReplyAnswers503ToTheBeginRequestAndCloses() throws {
        let log = CallLog()
        let (client, done) = try startOverloadReply(responder: RecordingResponder(log: log))
        try client.send(Wire.request(7, keep: true, method: "GET", uri: "/api/health", contentLength: .some(nil)))

        let response = try client.readResponse(id: 7)
        XCTAssertEqual(response.records, [
            Record(.stdout, requestID: 7, content: Array(Self.overloadAnswer.utf8)),
            Record(.stdout, requestID: 7),
            Record(.endRequest, requestID: 7, content: [0, 0, 0, 0, 0, 0, 0, 0]),
        ])
        XCTAssertTrue(client.readsEndOfStream(), "the reply half-closes after the answer")
        client.close()
        XCTAssertEqual(done.wait(timeout: .now() + 3), .success)
        XCTAssertEqual(log.all, [.reject(.overloaded, params: [:])])
    }

    func testOverloadReplyAnswersTheIdOfTheBeginRequestEvenWhenOtherRecordsComeFirst() throws {
        let (client, done) = try startOverloadReply(responder: DefaultRejections())
        let getValues = Record(.getValues, requestID: 0, content: NameValuePairs.encode([("FCGI_MAX_CONNS", "")]))
        let request = Wire.encode([getValues]) + Wire.request(300, keep: false, body: [1, 2])
        // Cut mid-header so the BEGIN_REQUEST arrives in two reads.
        try client.send(Array(request.prefix(20)))
        usleep(20_000)
        try client.send(Array(request.dropFirst(20)))
        let response = try client.readResponse(id: 300)
        XCTAssertEqual(String(decoding: response.stdout, as: UTF8.self), Self.overloadAnswer)
        XCTAssertTrue(response.isCleanlyEnded)
        client.close()
        XCTAssertEqual(done.wait(timeout: .now() + 3), .success)
    }

    func testOverloadReplyToAPeerThatSendsNoRequestClosesSilently() throws {
        let (client, done) = try startOverloadReply(responder: DefaultRejections())
        try client.send([9, 9, 9, 9, 9, 9, 9, 9])
        _ = shutdown(client.fd, Int32(SHUT_WR))
        XCTAssertTrue(client.readsEndOfStream())
        XCTAssertEqual(done.wait(timeout: .now() + 3), .success)
    }

    /// Sends one byte every 50 ms on a background thread until the server's end is closed;
    /// signals when it has stopped.
    private func trickle(to client: RawClient) -> DispatchSemaphore {
        let stopped = DispatchSemaphore(value: 0)
        let fd = client.fd
        Thread {
            var byte: UInt8 = 0
            for _ in 0..<200 {
                guard Glibc.send(fd, &byte, 1, Int32(MSG_NOSIGNAL)) == 1 else { break }
                usleep(50_000)
            }
            stopped.signal()
        }.start()
        return stopped
    }

    /// The overload reply runs on a shared thread: a peer sending a byte every 50 ms (each read
    /// would wait only 250 ms) must not keep it past its deadline, before the answer or after it.
    func testAPeerTricklingItsRequestIsCutOffAtTheDeadline() throws {
        let (client, done) = try startOverloadReply(responder: DefaultRejections(), deadline: 0.4)
        let started = Date()
        let stopped = trickle(to: client)
        XCTAssertEqual(done.wait(timeout: .now() + 3), .success, "still reading the trickle")
        XCTAssertLessThan(Date().timeIntervalSince(started), 1)
        XCTAssertEqual(stopped.wait(timeout: .now() + 3), .success, "the peer's writes fail once it is closed")
        XCTAssertTrue(client.readsEndOfStream(), "closed without an answer: no BEGIN_REQUEST came")
    }

    func testAPeerTricklingAfterTheAnswerIsCutOffAtTheDeadline() throws {
        let (client, done) = try startOverloadReply(responder: DefaultRejections(), deadline: 0.4)
        let started = Date()
        try client.send(Wire.request(3, keep: true, body: [1, 2]))
        XCTAssertEqual(try client.readResponse(id: 3).status, 503)
        let stopped = trickle(to: client)
        XCTAssertEqual(done.wait(timeout: .now() + 3), .success, "still draining the trickle")
        XCTAssertLessThan(Date().timeIntervalSince(started), 1)
        XCTAssertEqual(stopped.wait(timeout: .now() + 3), .success)
    }

    func testARealServerAnswersTheConnectionOverItsCap503AndServesAgainOnceSlotsFree() throws {
        let running = try RunningServer(maxConnections: 2)
        defer { running.tearDown() }
        let first = try running.connect()
        let second = try running.connect()
        XCTAssertTrue(Wait.until(timeout: 5) { running.server.counters.open == 2 }, "two idle clients hold both slots")

        let third = try running.connect()
        let started = Date()
        try third.send(Wire.request(1, keep: true, method: "GET", uri: "/api/health", contentLength: .some(nil)))
        let refused = try third.readResponse(id: 1)
        XCTAssertLessThan(Date().timeIntervalSince(started), 1, "the 503 comes at once")
        XCTAssertEqual(refused.head, "Status: 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8")
        XCTAssertEqual(String(decoding: refused.stdout, as: UTF8.self), Self.overloadAnswer)
        XCTAssertTrue(refused.isCleanlyEnded)
        XCTAssertTrue(third.readsEndOfStream())
        XCTAssertEqual(running.server.counters.rejected, 1)
        XCTAssertEqual(running.server.counters.open, 2)
        XCTAssertEqual(running.log.rejections, [.overloaded])
        XCTAssertEqual(running.log.respondCount, 0)

        first.close()
        second.close()
        XCTAssertTrue(Wait.until(timeout: 5) { running.server.counters.open == 0 }, "closed clients free their slots")

        let fourth = try running.connect()
        let body = Pattern.bytes(1000)
        try fourth.send(Wire.request(1, keep: false, body: body))
        let served = try fourth.readResponse(id: 1)
        XCTAssertTrue(served.isCleanlyEnded)
        XCTAssertEqual(String(decoding: served.body, as: UTF8.self), RecordingResponder.echoLine(keep: false, body: body))
        XCTAssertTrue(fourth.readsEndOfStream())
        XCTAssertEqual(running.server.counters.accepted, 4)
        XCTAssertEqual(running.server.counters.rejected, 1)
    }
}
