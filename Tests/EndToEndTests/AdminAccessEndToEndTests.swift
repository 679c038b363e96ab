import XCTest

/// Basic auth in Nginx in front of the admin API and page, and the responder's
/// own refusal of admin routes without REMOTE_USER behind it.
final class AdminAccessEndToEndTests: EndToEndTestCase {
    func testAdminAPIWithoutCredentialsIs401() throws {
        let stack = try startStack()
        let response = try stack.http.request("GET", "/api/admin/list")
        XCTAssertEqual(response.status, 401)
        XCTAssertEqual(response.header("www-authenticate")?.hasPrefix("Basic"), true)
    }

    func testAdminAPIWithWrongPasswordIs401() throws {
        let stack = try startStack()
        let wrong = HTTPClient.Credentials(user: "admin", password: "not-the-password")
        XCTAssertEqual(try stack.http.request("GET", "/api/admin/list", credentials: wrong).status, 401)
        let unknown = HTTPClient.Credentials(user: "nobody", password: "psyx-dev")
        XCTAssertEqual(try stack.http.request("GET", "/api/admin/list", credentials: unknown).status, 401)
    }

    func testAdminAPIWithDevelopmentAccountReachesTheResponder() throws {
        let stack = try startStack()
        let response = try stack.http.request("GET", "/api/admin/list", credentials: TestStack.developmentAccount)
        XCTAssertEqual(response.status, 200, response.text)
        XCTAssertEqual(response.header("content-type")?.hasPrefix("application/json"), true)
        let packs = try XCTUnwrap(response.json as? [Any], "expected a JSON array: \(response.text)")
        XCTAssertTrue(packs.isEmpty, "a fresh data directory has no packs")
    }

    func testAdminPageNeedsCredentials() throws {
        let stack = try startStack()
        XCTAssertEqual(try stack.http.request("GET", "/admin/").status, 401)
        XCTAssertEqual(try stack.http.request("GET", "/admin/index.html").status, 401)
        let page = try stack.http.request("GET", "/admin/", credentials: TestStack.developmentAccount)
        XCTAssertEqual(page.status, 200)
        XCTAssertEqual(page.header("content-type")?.hasPrefix("text/html"), true)
    }

    /// Spellings of an admin path that could slip past a prefix match: none of them
    /// reaches an admin route without credentials, and none sees a REMOTE_USER that
    /// basic auth did not check (a claimed user on a public location is dropped).
    func testAdminPathVariantsNeverServeWithoutCredentials() throws {
        let stack = try startStack()
        let claimed = HTTPClient.Credentials(user: "admin", password: "wrong")
        for path in ["/api/admin/list", "/api//admin/list", "/api/%61dmin/list", "/api/./admin/list",
                     "/api/x/../admin/list", "/api/admin", "/API/admin/list", "/api/admin/list/"] {
            for credentials in [nil, claimed] {
                let response = try stack.http.request("GET", path, credentials: credentials)
                if response.status == 301 {
                    // Nginx's own redirect of a prefix location's bare name: to the protected one.
                    XCTAssertEqual(response.header("location"), "/api/admin/", path)
                    continue
                }
                XCTAssertTrue([401, 403, 404].contains(response.status),
                              "\(path) with \(credentials == nil ? "no" : "wrong") credentials: \(response.status) \(response.text)")
            }
        }
    }

    /// What a mistaken Nginx config would let through: the responder itself refuses.
    func testAdminRouteStraightToTheSocketWithoutRemoteUserIs403() throws {
        let stack = try startStack()
        let withoutUser = try stack.fastCGI.request(Self.params(path: "/api/admin/list"))
        XCTAssertEqual(withoutUser.status, 403, withoutUser.text)

        // Nginx sends REMOTE_USER empty where there is no auth: the same refusal.
        let emptyUser = try stack.fastCGI.request(Self.params(path: "/api/admin/list") + [(name: "REMOTE_USER", value: "")])
        XCTAssertEqual(emptyUser.status, 403, emptyUser.text)

        // The same request with a user is served: the 403 is about REMOTE_USER.
        let withUser = try stack.fastCGI.request(Self.params(path: "/api/admin/list") + [(name: "REMOTE_USER", value: "admin")])
        XCTAssertEqual(withUser.status, 200, withUser.text)
    }

    /// The parameters Nginx sends for a GET without a body.
    static func params(path: String, method: String = "GET") -> [(name: String, value: String)] {
        [(name: "REQUEST_METHOD", value: method), (name: "REQUEST_URI", value: path),
         (name: "DOCUMENT_URI", value: path), (name: "SCRIPT_NAME", value: path),
         (name: "QUERY_STRING", value: ""), (name: "CONTENT_LENGTH", value: ""),
         (name: "CONTENT_TYPE", value: ""), (name: "SERVER_PROTOCOL", value: "HTTP/1.1"),
         (name: "REMOTE_ADDR", value: "127.0.0.1"), (name: "HTTP_HOST", value: "127.0.0.1")]
    }
}
