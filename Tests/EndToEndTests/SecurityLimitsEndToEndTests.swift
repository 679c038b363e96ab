#if canImport(Glibc)
import Glibc
#endif
import FastCGI
import Foundation
import XCTest

/// Oversize input is refused cleanly (issue 6): a 64 KB header stops at Nginx,
/// params over 1 MiB or over 1000 pairs straight to the socket close that
/// connection only, a body over PSYX_MAX_BODY is a 413; psyx keeps serving.
final class SecurityLimitsEndToEndTests: EndToEndTestCase {
    override func setUp() {
        super.setUp()
        // A write to a connection psyx has closed must fail with EPIPE, not end the test process.
        signal(SIGPIPE, SIG_IGN)
    }

    func testOversizeHeadersStopAtNginxAndLeavePsyxAlone() throws {
        let stack = try startStack()
        let http = ReliabilityHTTP(port: stack.port)
        let big = String(repeating: "a", count: 64 * 1024)
        let requestsBefore = try logLines(stack).count
        for header in ["X-Big: \(big)", "Cookie: \(big)", "Referer: http://x/\(big)"] {
            let response = try http.request("GET", "/api/health", headers: [header])
            XCTAssertTrue([400, 431, 494].contains(response.status), "\(header.prefix(10))…: \(response.status)")
        }
        let longURL = try http.request("GET", "/api/health?" + big)
        XCTAssertTrue([400, 414].contains(longURL.status), "64 KB URL: \(longURL.status)")
        XCTAssertEqual(try logLines(stack).count, requestsBefore, "an oversize request reached psyx")
        XCTAssertEqual(try stack.http.request("GET", "/api/health").status, 200)
    }

    func testOversizeParamsStraightToTheSocketCloseOnlyThatConnection() throws {
        let stack = try startStack()
        let pid = stack.psyxPID
        let base = AdminAccessEndToEndTests.params(path: "/api/health")
        let rssBefore = try ReliabilityProbe.residentBytes(of: pid)

        // Over 1 MiB in one value, over 1 MiB in many, over 1000 pairs.
        let huge = base + [(name: "HTTP_X_BIG", value: String(repeating: "x", count: (1 << 20) + 1))]
        let many = base + (0..<40).map { (name: "HTTP_X_\($0)", value: String(repeating: "y", count: 30_000)) }
        let numerous = base + (0..<1500).map { (name: "HTTP_X_\($0)", value: "z") }
        for (what, params) in [("one 1 MiB value", huge), ("1.2 MB of params", many), ("1500 pairs", numerous)] {
            // psyx closes the connection: the client sees it closed before END_REQUEST, or its write fail.
            XCTAssertThrowsError(try stack.fastCGI.request(params), "\(what) was answered") { error in
                let text = String(describing: error)
                XCTAssertTrue(text.contains("before END_REQUEST") || text.contains("write to the responder failed"), "\(what): \(text)")
            }
            // Another connection is served meanwhile, and the process is fine.
            XCTAssertEqual(try stack.fastCGI.request(base).status, 200, what)
        }
        // A header block that never ends: the read timeout, not memory, bounds it (just under 1 MiB is allowed).
        let justUnder = base + [(name: "HTTP_X_BIG", value: String(repeating: "x", count: (1 << 20) - 2048))]
        XCTAssertEqual(try stack.fastCGI.request(justUnder).status, 200)
        XCTAssertTrue(ProcessTable.isAlive(pid))
        let rssAfter = try ReliabilityProbe.residentBytes(of: pid)
        XCTAssertLessThan(rssAfter - rssBefore, 32 << 20, "resident memory grew by \((rssAfter - rssBefore) >> 20) MB")
        XCTAssertEqual(try stack.http.request("GET", "/api/health").status, 200)
    }

    /// PSYX_MAX_BODY: a larger body is 413 through Nginx and straight to the socket (by its Content-Length
    /// or, without one, by what arrives), and a body that is not what Content-Length said is 400.
    func testBodiesOverTheLimitAre413() throws {
        let stack = try startStack(environment: ["PSYX_MAX_BODY": "4096"])
        let body = [UInt8](repeating: 0x7B, count: 5000)
        let throughNginx = try stack.http.request("POST", "/api/reply/start", headers: ["Content-Type: application/json"], body: body)
        XCTAssertEqual(throughNginx.status, 413, throughNginx.text)

        let params = SecurityAccessEndToEndTests.params(method: "POST", path: "/api/reply/start",
                                                        contentType: "application/json", contentLength: body.count)
        XCTAssertEqual(try stack.fastCGI.request(params, body: body).status, 413)
        let undeclared = params.filter { $0.name != "CONTENT_LENGTH" }
        XCTAssertEqual(try stack.fastCGI.request(undeclared, body: body).status, 413)
        let mismatched = SecurityAccessEndToEndTests.params(method: "POST", path: "/api/reply/start",
                                                            contentType: "application/json", contentLength: 100)
        XCTAssertEqual(try stack.fastCGI.request(mismatched, body: Array(body.prefix(50))).status, 400)
        XCTAssertEqual(ReliabilityProbe.entries(stack, "spool"), [])
        XCTAssertEqual(try stack.http.request("GET", "/api/health").status, 200)
    }

    /// Nesting a million deep inside the 4 MiB a submit may carry: refused, not a stack overflow.
    func testDeeplyNestedJSONIs400() throws {
        let stack = try startStack()
        let client = ExperimentClient(stack: stack)
        let bodies = [Array(repeating: UInt8(ascii: "["), count: 1_000_000),
                      Array(String(repeating: #"{"a":"#, count: 500_000).utf8)]
        for body in bodies {
            for route in ["/api/reply/start", "/api/reply/submit"] {
                let response = try client.post(route, raw: body)
                XCTAssertEqual(response.status, 400, "\(route): \(response.text.prefix(200))")
            }
        }
        XCTAssertTrue(ProcessTable.isAlive(stack.psyxPID))
        XCTAssertEqual(try stack.http.request("GET", "/api/health").status, 200)
    }

    private func logLines(_ stack: TestStack) throws -> [Substring] {
        let log = try String(contentsOf: stack.dataDirectory.appendingPathComponent("logs/api.log"), encoding: .utf8)
        return log.split(separator: "\n")
    }
}
