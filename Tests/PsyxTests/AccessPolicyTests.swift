import PsyxTestSupport
import XCTest

/// Admin routes need REMOTE_USER; state-changing ones refuse cross-site browser requests (spec §3.1, §6).
final class AccessPolicyTests: XCTestCase {
    func testAdminRoutesNeedAnAuthenticatedUser() throws {
        let app = try AppHarness()
        for (method, path) in [("GET", "/api/admin/list"), ("POST", "/api/admin/create"), ("GET", "/api/admin/remove"), ("GET", "/api/admin/download")] {
            XCTAssertEqual(app.call(method, path, user: nil).status, 403, path)
            XCTAssertEqual(app.call(method, path, user: "").status, 403, path)
        }
        XCTAssertEqual(app.call("GET", "/api/admin/list").status, 200)
    }

    func testCrossSiteBrowserRequestsCannotChangeState() throws {
        let app = try AppHarness(packSize: 3)
        XCTAssertEqual(app.upload(PackFixture(name: "p", pairs: 3).body()).status, 200)
        let crossSite = ["Sec-Fetch-Site": "cross-site"]
        XCTAssertEqual(app.call("POST", "/api/admin/remove", query: "id=1", headers: crossSite).status, 403)
        XCTAssertEqual(app.call("GET", "/api/admin/remove", query: "id=1", headers: ["Origin": "https://evil.example", "Host": "psyx.lab"]).status, 403)
        XCTAssertEqual(app.call("GET", "/api/admin/remove", query: "id=1", headers: ["Origin": "null", "Host": "psyx.lab"]).status, 403)
        let body = PackFixture(name: "q", pairs: 3).body()
        XCTAssertEqual(app.call("POST", "/api/admin/create", body: body.bytes, contentType: body.contentType, headers: crossSite).status, 403)
        XCTAssertEqual(app.packFolders, ["p"])
        XCTAssertEqual(app.call("GET", "/api/admin/list", headers: crossSite).status, 200, "reading is not refused")
        let sameOrigin = ["Origin": "http://psyx.lab", "Host": "psyx.lab", "Sec-Fetch-Site": "same-origin"]
        XCTAssertEqual(app.call("POST", "/api/admin/remove", query: "id=1", headers: sameOrigin).text, "Pack 1 Deleted.")
    }

    /// Issue 17, item 5: a page on a sibling subdomain (`same-site`) or any browser GET must not
    /// remove a pack with the admin's cached credentials; old scripts' GET still works.
    func testSiblingSubdomainsAndBrowserGETsCannotRemove() throws {
        let app = try AppHarness(packSize: 3)
        XCTAssertEqual(app.upload(PackFixture(name: "p", pairs: 3).body()).status, 200)
        let refused: [(String, [String: String])] = [
            ("GET", ["Sec-Fetch-Site": "same-site", "Sec-Fetch-Mode": "no-cors", "Sec-Fetch-Dest": "image"]),
            ("POST", ["Sec-Fetch-Site": "same-site"]),
            ("POST", ["Sec-Fetch-Site": "something-new"]),
            ("GET", ["Sec-Fetch-Site": "same-origin", "Sec-Fetch-Dest": "image"]),
            ("GET", ["Sec-Fetch-Site": "none", "Sec-Fetch-Mode": "navigate"]),
            ("GET", ["Referer": "http://psyx.lab/admin/", "Host": "psyx.lab"]),
            ("POST", ["Referer": "https://blog.psyx.lab/post", "Host": "psyx.lab"]),
            ("GET", ["Sec-Fetch-Mode": "no-cors"]),
        ]
        for (method, headers) in refused {
            let answer = app.call(method, "/api/admin/remove", query: "id=1", headers: headers)
            XCTAssertEqual(answer.status, 403, "\(method) \(headers): \(answer.text)")
        }
        XCTAssertEqual(app.packFolders, ["p"])
        XCTAssertEqual(app.call("GET", "/api/admin/list").text.components(separatedBy: "p_id").count, 2)
        let typed = ["Sec-Fetch-Site": "none", "Sec-Fetch-Mode": "navigate"]
        XCTAssertEqual(app.call("GET", "/api/admin/download", query: "id=1", headers: typed).status, 200, "reading stays open")
        XCTAssertEqual(app.call("GET", "/api/admin/remove", query: "id=1").text, "Pack 1 Deleted.", "an old script's GET")
        XCTAssertEqual(app.packFolders, [])
    }

    func testUnknownRoutesAndMethods() throws {
        let app = try AppHarness()
        XCTAssertEqual(app.call("GET", "/api/nope").status, 404)
        let wrong = app.call("DELETE", "/api/admin/list")
        XCTAssertEqual(wrong.status, 405)
        XCTAssertEqual(wrong.header("Allow"), "GET")
        XCTAssertEqual(app.call("GET", "/api/reply/start").status, 405)
        XCTAssertEqual(app.call("HEAD", "/api/health").status, 200)
    }

    func testErrorPagesEscapeUserText() throws {
        let app = try AppHarness()
        let answer = app.call("GET", "/api/admin/download", query: "id=%3Cscript%3E")
        XCTAssertEqual(answer.status, 400)
        XCTAssertTrue(answer.text.contains("Pack &lt;script&gt; Not Found"), answer.text)
        XCTAssertEqual(answer.header("X-Content-Type-Options"), "nosniff")
    }
}
