import Dispatch
import FastCGI
import PsyxTestSupport
import Foundation
import Synchronization
import XCTest
@testable import Psyx

/// At most `limit` downloads stream at once; the others wait, and every one completes.
final class DownloadGateTests: XCTestCase {
    /// A sink that counts the writers inside `write` and holds them there until released.
    final class HoldingSink: BodySink, Sendable {
        let inside = Mutex((now: 0, most: 0, finished: 0))
        let release = DispatchSemaphore(value: 0)
        let released = Atomic<Bool>(false)

        func write(_ bytes: UnsafeRawBufferPointer) throws {
            inside.withLock { $0.now += 1; $0.most = max($0.most, $0.now) }
            if !released.load(ordering: .acquiring) { release.wait() }
            inside.withLock { $0.now -= 1 }
        }

        func openAll(count: Int) {
            released.store(true, ordering: .releasing)
            for _ in 0..<count { release.signal() }
        }

        /// Waits up to `seconds` for `count` writers to be inside.
        func waitForInside(_ count: Int, seconds: Double) -> Bool {
            let deadline = Date().addingTimeInterval(seconds)
            while Date() < deadline {
                if inside.withLock({ $0.now }) >= count { return true }
                usleep(5_000)
            }
            return false
        }
    }

    /// N + 2 downloads through the real route: N stream, two wait, then all finish with whole bodies.
    func testRouteLetsLimitDownloadsStreamAtOnce() throws {
        let app = try AppHarness(packSize: 3)
        XCTAssertEqual(app.upload(PackFixture(name: "gate", pairs: 3).body()).status, 200)
        let limit = DownloadGate.defaultLimit
        let whole = app.call("GET", "/api/admin/download", query: "id=1").body
        let sink = HoldingSink()
        let finished = Mutex(0)
        let group = DispatchGroup()
        for index in 0..<(limit + 2) {
            let query = index % 2 == 0 ? "id=1" : "id=1&format=csv"
            let response = app.responder.respond(to: Request(params: [
                "REQUEST_METHOD": "GET", "DOCUMENT_URI": "/api/admin/download", "REQUEST_URI": "/api/admin/download",
                "QUERY_STRING": query, "REMOTE_USER": "admin", "REMOTE_ADDR": "127.0.0.1", "CONTENT_LENGTH": "",
            ], body: RequestBody([])))
            guard case .stream(let produce) = response.body else { return XCTFail("not streamed: \(response.status)") }
            DispatchQueue.global().async(group: group) {
                do { try produce(sink) } catch { return XCTFail("\(error)") }
                finished.withLock { $0 += 1 }
            }
        }
        XCTAssertTrue(sink.waitForInside(limit, seconds: 10))
        Thread.sleep(forTimeInterval: 0.3)
        XCTAssertEqual(sink.inside.withLock { $0.now }, limit, "only the gate's limit streams")
        sink.openAll(count: limit + 2)
        XCTAssertEqual(group.wait(timeout: .now() + 20), .success)
        XCTAssertEqual(finished.withLock { $0 }, limit + 2)
        XCTAssertEqual(sink.inside.withLock { $0.most }, limit)
        XCTAssertGreaterThan(whole.count, 100)
    }

    func testGateFreesItsSlotWhenTheBodyThrows() throws {
        struct Failure: Error {}
        let gate = DownloadGate(limit: 1)
        XCTAssertThrowsError(try gate.run { throw Failure() })
        let ran = Mutex(false)
        let done = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            gate.run { ran.withLock { $0 = true } }
            done.signal()
        }
        XCTAssertEqual(done.wait(timeout: .now() + 5), .success)
        XCTAssertTrue(ran.withLock { $0 })
    }

    func testDefaultLimitIsSmallAndPositive() {
        XCTAssertGreaterThanOrEqual(DownloadGate.defaultLimit, 2)
        XCTAssertLessThanOrEqual(DownloadGate.defaultLimit, 8)
        XCTAssertEqual(DownloadGate(limit: 0).limit, 1)
    }
}
