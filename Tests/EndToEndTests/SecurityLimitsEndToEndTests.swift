#if canImport(Glibc)
import Glibc
#endif
import FastCGI
import Foundation
import XCTest

/// Oversize input is refused cleanly (issue 6): a 64 KB header stops at Nginx,
/// params over 1 MiB or over 1000 pairs are a 431 (through Nginx too, on a connection
/// Nginx keeps), a body over PSYX_MAX_BODY is a 413; psyx keeps serving.
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

    func testOversizeParamsStraightToTheSocketAre431() throws {
        let stack = try startStack()
        let pid = stack.psyxPID
        let base = AdminAccessEndToEndTests.params(path: "/api/health")
        let rssBefore = try ReliabilityProbe.residentBytes(of: pid)

        // Over 1 MiB in one value, over 1 MiB in many, over 1000 pairs.
        let huge = base + [(name: "HTTP_X_BIG", value: String(repeating: "x", count: (1 << 20) + 1))]
        let many = base + (0..<40).map { (name: "HTTP_X_\($0)", value: String(repeating: "y", count: 30_000)) }
        let numerous = base + (0..<1500).map { (name: "HTTP_X_\($0)", value: "z") }
        for (what, params) in [("one 1 MiB value", huge), ("1.2 MB of params", many), ("1500 pairs", numerous)] {
            let refused = try stack.fastCGI.request(params)
            XCTAssertEqual(refused.status, 431, "\(what): \(refused.text)")
            XCTAssertEqual(refused.protocolStatus, 0, what)
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

    /// Nginx passes every header on as a param: 980 extra headers and its own twenty-odd params
    /// are more than psyx takes (Nginx itself refuses from about 990 headers on, with a 400). Nginx
    /// gets a 431 (not a 502 from a closed connection) and keeps its upstream connection for the
    /// next request (one Nginx worker: the accepted count stays).
    func testOverAThousandParamsThroughNginxAre431OnAConnectionNginxKeeps() throws {
        let stack = try startStack()
        let http = ReliabilityHTTP(port: stack.port)
        let acceptedBefore = try acceptedConnections(stack)
        let headers = (0..<980).map { "X-H\($0): v" }
        let refused = try http.request("GET", "/api/health", headers: headers)
        XCTAssertEqual(refused.status, 431, refused.text)
        XCTAssertTrue(refused.text.contains("more header fields"), refused.text)
        XCTAssertEqual(try http.request("GET", "/api/health", headers: Array(headers.prefix(900))).status, 200,
                       "900 extra headers are within the limit")
        XCTAssertEqual(try acceptedConnections(stack), acceptedBefore, "the refused request's upstream connection was kept")
        XCTAssertTrue(try logLines(stack).contains { $0.contains("\t/api/health\t431\t") },
                      "psyx logged the 431 with its route")
    }

    private func acceptedConnections(_ stack: TestStack) throws -> Int {
        let response = try stack.http.request("GET", "/api/health")
        let object = try XCTUnwrap(response.json as? [String: Any], response.text)
        let connections = try XCTUnwrap(object["connections"] as? [String: Any], response.text)
        return try XCTUnwrap(connections["accepted"] as? Int, response.text)
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

    /// Nesting a million deep inside the 4 MiB a submit may carry (16 thousand deep inside start's
    /// 16 KiB): refused, not a stack overflow.
    func testDeeplyNestedJSONIs400() throws {
        let stack = try startStack()
        let client = ExperimentClient(stack: stack)
        let bodies = [Array(repeating: UInt8(ascii: "["), count: 1_000_000),
                      Array(String(repeating: #"{"a":"#, count: 500_000).utf8)]
        for body in bodies {
            for (route, limit) in [("/api/reply/start", 16 * 1024), ("/api/reply/submit", 4 << 20)] {
                let response = try client.post(route, raw: Array(body.prefix(limit)))
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
