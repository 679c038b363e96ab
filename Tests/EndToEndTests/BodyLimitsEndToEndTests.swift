#if canImport(Glibc)
import Glibc
#endif
import Foundation
import PsyxTestSupport
import XCTest

/// Every route's body limit is known before its body is read (issue 17 item 4): Nginx's
/// per-location `client_max_body_size` and psyx's own per-route limit refuse a body too large
/// for its route with 413 before it is stored; uploads wait while the disk is nearly full.
final class BodyLimitsEndToEndTests: EndToEndTestCase {
    override func setUp() {
        super.setUp()
        // A write to a connection the server has closed must fail with EPIPE, not end the test process.
        signal(SIGPIPE, SIG_IGN)
    }

    func testTooLargeStartAndSubmitAre413ThroughNginx() throws {
        let stack = try startStack()
        let client = ExperimentClient(stack: stack)
        let logged = try logLines(stack).count

        // Within Nginx's 4 MB for /api/, over start's 16 KB: psyx refuses it from its Content-Length.
        let start = try client.post("/api/reply/start", raw: Array(repeating: UInt8(ascii: " "), count: 20_000) + Array("{}".utf8))
        XCTAssertEqual(start.status, 413, start.text)
        XCTAssertEqual(ExperimentClient.sentence(start), "The request body is larger than this server accepts.")
        // Over 4 MB: Nginx's location limit, psyx never sees them.
        let big = [UInt8](repeating: UInt8(ascii: " "), count: 5 << 20)
        XCTAssertEqual(try client.post("/api/reply/start", raw: big).status, 413)
        XCTAssertEqual(try client.post("/api/reply/submit", raw: big).status, 413)
        // Over 64 KB anywhere else, the relocation API included.
        let form = Array(("cid=7&count=5&pad=" + String(repeating: "x", count: 70_000)).utf8)
        let relocation = try stack.http.request("POST", "/post_sentence", headers: ["Content-Type: application/x-www-form-urlencoded"],
                                                body: form)
        XCTAssertEqual(relocation.status, 413)

        let lines = try logLines(stack).dropFirst(logged)
        XCTAssertEqual(lines.count, 1, "only the 20 KB start reached psyx: \(lines)")
        XCTAssertTrue(lines.first?.contains("\t/api/reply/start\t413\t") ?? false, "\(lines)")
        XCTAssertEqual(ReliabilityProbe.entries(stack, "spool"), [])
        XCTAssertEqual(try stack.http.request("GET", "/api/health").status, 200)
    }

    /// Straight to the socket: with psyx's spool folder removed under it, any body it tried to
    /// spool would be a 500; a body over its route's limit is a 413 instead, a body to no route a 404.
    func testPsyxRefusesABodyOverItsRouteLimitWithoutSpoolingIt() throws {
        let stack = try startStack()
        let spool = stack.dataDirectory.appendingPathComponent("spool")
        try FileManager.default.removeItem(at: spool)
        defer { try? FileManager.default.createDirectory(at: spool, withIntermediateDirectories: false) }
        let body = [UInt8](repeating: UInt8(ascii: " "), count: 3 << 20)
        func post(_ path: String, _ bytes: [UInt8], declared: Bool = true) throws -> Int {
            var params = SecurityAccessEndToEndTests.params(method: "POST", path: path, contentType: "application/json",
                                                            contentLength: bytes.count)
            if !declared { params.removeAll { $0.name == "CONTENT_LENGTH" } }
            return try stack.fastCGI.request(params, body: bytes).status
        }

        XCTAssertEqual(try post("/api/reply/submit", Array(body.prefix(2 << 20))), 500,
                       "control: 2 MB is within submit's 4 MB and past the 1 MiB kept in memory, so psyx spools it")
        XCTAssertEqual(try post("/api/reply/start", body), 413, "declared over start's 16 KB")
        XCTAssertEqual(try post("/api/reply/start", body, declared: false), 413, "undeclared, refused once past 16 KB")
        XCTAssertEqual(try post("/api/reply/submit", body + body), 413, "declared over submit's 4 MB")
        XCTAssertEqual(try post("/api/no/such/route", body), 404, "no route: answered, the body dropped")
        XCTAssertEqual(try post("/api/admin/list", body), 405)
        XCTAssertEqual(try stack.http.request("GET", "/api/health").status, 200)
    }

    /// PSYX_MIN_FREE_DISK above the disk's free space: an upload is a 503 before it writes
    /// anything, health says why (its status still ok), and participants go on.
    func testUploadsAre503WhileTheDiskIsUnderTheFloorAndRepliesGoOn() throws {
        let stack = try startStack(environment: ["PSYX_PACK_SIZE": "5"])
        let client = ExperimentClient(stack: stack)
        XCTAssertEqual(try client.upload(PackFixture(name: "roomy", pairs: 5).body()).status, 200)
        let health = try stack.http.request("GET", "/api/health")
        XCTAssertEqual(try disk(health)["uploads"] as? String, "open", health.text)

        try ReliabilityProbe.endPsyx(stack, signal: SIGTERM)
        try stack.restartPsyx(environment: ["PSYX_PACK_SIZE": "5", "PSYX_MIN_FREE_DISK": String(1 << 60)])
        var second = PackFixture(name: "cramped", pairs: 5)
        second.sex = "1"
        let refused = try client.upload(second.body())
        XCTAssertEqual(refused.status, 503, refused.text)
        XCTAssertEqual(ExperimentClient.sentence(refused), "The server is low on disk space, so uploads are refused until space is freed.")
        XCTAssertEqual(ReliabilityProbe.entries(stack, "packs"), ["roomy"])
        XCTAssertEqual(ReliabilityProbe.entries(stack, "staging"), [])
        XCTAssertEqual(ReliabilityProbe.entries(stack, "spool"), [])
        XCTAssertTrue(try logLines(stack).contains { $0.contains("\t/api/admin/create\t503\t") && $0.contains("PSYX_MIN_FREE_DISK") })

        let lowHealth = try stack.http.request("GET", "/api/health")
        XCTAssertEqual(lowHealth.status, 200)
        XCTAssertEqual((lowHealth.json as? [String: Any])?["status"] as? String, "ok")
        let lowDisk = try disk(lowHealth)
        XCTAssertEqual(lowDisk["uploads"] as? String, "refused", lowHealth.text)
        XCTAssertTrue((lowDisk["reason"] as? String ?? "").contains("PSYX_MIN_FREE_DISK"), lowHealth.text)
        XCTAssertEqual(lowDisk["floor_bytes"] as? Int, 1 << 60)

        let participant = ParticipantFixture(no: "ROOM0001")
        let started = try client.start(participant)
        let submit = participant.submit(packID: started.packID, pairs: started.pairs, submissionID: "room-0001")
        XCTAssertEqual(try client.post("/api/reply/submit", json: submit).status, 200, "replies keep their room")
    }

    private func disk(_ health: HTTPResponse) throws -> [String: Any] {
        try XCTUnwrap((health.json as? [String: Any])?["disk"] as? [String: Any], health.text)
    }

    private func logLines(_ stack: TestStack) throws -> [Substring] {
        let log = try String(contentsOf: stack.dataDirectory.appendingPathComponent("logs/api.log"), encoding: .utf8)
        return log.split(separator: "\n")
    }
}
