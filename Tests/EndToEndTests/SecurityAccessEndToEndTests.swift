import Foundation
import PsyxTestSupport
import XCTest

/// Who may do what (issue 6): every admin page and route is 401 at Nginx
/// without valid credentials, 403 at the responder without REMOTE_USER, and
/// refuses cross-site browser requests that would change state, even with a
/// logged-in admin's credentials. None of the refusals changes anything.
final class SecurityAccessEndToEndTests: EndToEndTestCase {
    static let adminRequests: [(method: String, path: String)] = [
        ("GET", "/admin/"), ("GET", "/admin/index.html"), ("GET", "/api/admin/list"),
        ("POST", "/api/admin/create"), ("GET", "/api/admin/remove?id=1"), ("POST", "/api/admin/remove?id=1"),
        ("GET", "/api/admin/download?id=1"), ("GET", "/api/admin/download?id=1&format=csv"),
        ("POST", "/api/admin/close?id=1"), ("POST", "/api/admin/open?id=1"),
        ("POST", "/api/admin/withdraw?r_id=1"), ("POST", "/api/admin/withdraw/preview?r_id=1"),
    ]

    func testAdminPageAndAPIAre401WithoutOrWithWrongCredentials() throws {
        let (stack, client) = try stackWithOnePack()
        let upload = PackFixture(name: "intruder", pairs: 2).body()
        let wrongAccounts: [HTTPClient.Credentials?] = [
            nil,
            HTTPClient.Credentials(user: "admin", password: "wrong"),
            HTTPClient.Credentials(user: "admin", password: ""),
            HTTPClient.Credentials(user: "nobody", password: "psyx-dev"),
            HTTPClient.Credentials(user: "admin", password: "psyx-dev "),
        ]
        var refused = 0
        for credentials in wrongAccounts {
            for (method, path) in Self.adminRequests {
                let response = try stack.http.request(method, path, credentials: credentials,
                                                      headers: method == "POST" ? ["Content-Type: \(upload.contentType)"] : [],
                                                      body: method == "POST" ? upload.bytes : nil)
                XCTAssertEqual(response.status, 401, "\(method) \(path) as \(credentials?.user ?? "-")")
                XCTAssertEqual(response.header("www-authenticate")?.hasPrefix("Basic"), true)
                refused += 1
            }
        }
        // A malformed Authorization header is no better.
        for header in ["Authorization: Basic !!!", "Authorization: Bearer x", "Authorization: Basic " + Data("admin".utf8).base64EncodedString()] {
            XCTAssertEqual(try stack.http.request("GET", "/api/admin/list", headers: [header]).status, 401, header)
        }
        // Nothing reached the responder: no admin route in its log, the pack and its folder still there.
        let log = try String(contentsOf: stack.dataDirectory.appendingPathComponent("logs/api.log"), encoding: .utf8)
        XCTAssertEqual(log.split(separator: "\n").filter { $0.contains("/api/admin/") && !$0.contains("\tadmin\t") }, [])
        XCTAssertEqual(try client.rowCounts(), "packs=1 pack_pairs=2 replies=0")
        XCTAssertEqual(ReliabilityProbe.entries(stack, "packs"), ["target"])
        ReliabilityProbe.report("security-401", ["requests_refused": refused + 3, "reached_responder": 0])
    }

    /// What a mistaken Nginx config would let through reaches a responder that refuses it.
    func testResponderRefusesEveryAdminRouteWithoutRemoteUser() throws {
        let (stack, client) = try stackWithOnePack()
        let upload = PackFixture(name: "intruder", pairs: 2).body()
        for user in [nil, ""] as [String?] {
            for (method, path) in Self.adminRequests where path.hasPrefix("/api/") {
                var params = Self.params(method: method, path: path, contentType: method == "POST" ? upload.contentType : "",
                                         contentLength: method == "POST" ? upload.bytes.count : 0)
                if let user { params.append((name: "REMOTE_USER", value: user)) }
                let reply = try stack.fastCGI.request(params, body: method == "POST" ? upload.bytes : [])
                XCTAssertEqual(reply.status, 403, "\(method) \(path) with REMOTE_USER \(user ?? "unset"): \(reply.text)")
            }
        }
        XCTAssertEqual(try client.rowCounts(), "packs=1 pack_pairs=2 replies=0")
        XCTAssertEqual(ReliabilityProbe.entries(stack, "packs"), ["target"])
    }

    /// A page elsewhere cannot create or remove through a logged-in admin's browser.
    func testCrossSiteCreateAndRemoveAreRefusedAndChangeNothing() throws {
        let (stack, client) = try stackWithOnePack()
        var other = PackFixture(name: "crosssite", pairs: 2)
        other.sex = "1"
        let upload = other.body()
        let crossSite = [["Sec-Fetch-Site: cross-site"], ["Origin: http://evil.example"],
                         ["Origin: null"], ["Origin: http://127.0.0.1:1"],
                         ["Origin: http://admin.evil.example", "Sec-Fetch-Site: same-site"],
                         ["Origin: \(stack.http.baseURL)", "Sec-Fetch-Site: cross-site"]]
        // (A browser's Sec-Fetch-Site cannot be forged by a page, so `same-origin` is trusted as it is.)
        for headers in crossSite {
            let created = try client.admin("POST", "/api/admin/create", headers: headers + ["Content-Type: \(upload.contentType)"],
                                           body: upload.bytes)
            XCTAssertEqual(created.status, 403, "create with \(headers): \(created.text)")
            for method in ["GET", "POST"] {
                let removed = try client.admin(method, "/api/admin/remove?id=1", headers: headers)
                XCTAssertEqual(removed.status, 403, "\(method) remove with \(headers): \(removed.text)")
            }
        }
        XCTAssertEqual(try client.rowCounts(), "packs=1 pack_pairs=2 replies=0")
        XCTAssertEqual(ReliabilityProbe.entries(stack, "packs"), ["target"])
        XCTAssertEqual(ReliabilityProbe.entries(stack, "staging"), [])

        // The admin page's own requests (same origin) still work.
        let sameOrigin = ["Origin: \(stack.http.baseURL)", "Sec-Fetch-Site: same-origin"]
        let created = try client.admin("POST", "/api/admin/create", headers: sameOrigin + ["Content-Type: \(upload.contentType)"],
                                       body: upload.bytes)
        XCTAssertEqual(created.status, 200, created.text)
        XCTAssertEqual(try client.admin("POST", "/api/admin/remove?id=1", headers: sameOrigin).status, 200)
        XCTAssertEqual(ReliabilityProbe.entries(stack, "packs"), ["crosssite"])
    }

    // MARK: - Helpers

    /// A stack with pack 1 "target" (2 pairs), which the refused requests aim at.
    private func stackWithOnePack() throws -> (TestStack, ExperimentClient) {
        let stack = try startStack(environment: ["PSYX_PACK_SIZE": "2"])
        let client = ExperimentClient(stack: stack)
        let created = try client.upload(PackFixture(name: "target", pairs: 2).body())
        XCTAssertEqual(created.status, 200, created.text)
        return (stack, client)
    }

    /// The parameters Nginx sends, for a request straight to the socket.
    static func params(method: String, path: String, contentType: String = "", contentLength: Int = 0) -> [(name: String, value: String)] {
        let parts = path.split(separator: "?", maxSplits: 1).map(String.init)
        return [(name: "REQUEST_METHOD", value: method), (name: "REQUEST_URI", value: path),
                (name: "DOCUMENT_URI", value: parts[0]), (name: "SCRIPT_NAME", value: parts[0]),
                (name: "QUERY_STRING", value: parts.count > 1 ? parts[1] : ""),
                (name: "CONTENT_LENGTH", value: contentLength > 0 ? String(contentLength) : ""),
                (name: "CONTENT_TYPE", value: contentType), (name: "SERVER_PROTOCOL", value: "HTTP/1.1"),
                (name: "REMOTE_ADDR", value: "127.0.0.1"), (name: "HTTP_HOST", value: "127.0.0.1")]
    }
}
