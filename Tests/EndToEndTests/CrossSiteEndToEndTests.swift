import PsyxTestSupport
import XCTest

/// Browsers send basic-auth credentials by themselves, so the state-changing
/// admin routes refuse cross-site requests (spec §3.1) — and must still accept
/// the admin page's own requests as they arrive through Nginx.
final class CrossSiteEndToEndTests: EndToEndTestCase {
    /// What a browser sends from the admin page: Origin with host and port.
    func testSameOriginBrowserRequestThroughNginxIsServed() throws {
        let stack = try startStack()
        let response = try stack.http.request("POST", "/api/admin/remove?id=999", credentials: TestStack.developmentAccount,
                                              headers: ["Origin: \(stack.http.baseURL)", "Sec-Fetch-Site: same-origin"])
        XCTAssertEqual(response.status, 400, "the admin page's own request was refused: \(response.text)")
        XCTAssertTrue(response.text.contains("Unknown Pack 999"), response.text)
    }

    func testScriptWithoutBrowserHeadersIsServed() throws {
        let stack = try startStack()
        let response = try stack.http.request("POST", "/api/admin/remove?id=999", credentials: TestStack.developmentAccount)
        XCTAssertEqual(response.status, 400, response.text)
    }

    /// What a browser sends for `<img src=".../api/admin/remove?id=1">` on a sibling subdomain,
    /// with the admin's basic-auth credentials cached: refused, and the pack stays (issue 17, item 5).
    func testSiblingSubdomainImageCannotRemoveAPack() throws {
        let stack = try startStack(environment: ["PSYX_PACK_SIZE": "3"])
        let client = ExperimentClient(stack: stack)
        XCTAssertEqual(try client.upload(PackFixture(name: "kept", pairs: 3).body()).status, 200)
        let account = TestStack.developmentAccount
        for headers in [["Sec-Fetch-Site: same-site", "Sec-Fetch-Mode: no-cors", "Sec-Fetch-Dest: image"],
                        ["Referer: http://blog.example/", "Sec-Fetch-Site: same-site"],
                        ["Sec-Fetch-Site: same-origin", "Sec-Fetch-Dest: image"]] {
            let response = try stack.http.request("GET", "/api/admin/remove?id=1", credentials: account, headers: headers)
            XCTAssertEqual(response.status, 403, "\(headers): \(response.text)")
        }
        XCTAssertEqual(try client.list().count, 1)
        let script = try stack.http.request("GET", "/api/admin/remove?id=1", credentials: account)
        XCTAssertEqual(script.text, "Pack 1 Deleted.", "an old script's GET keeps working")
    }

    func testCrossSiteBrowserRequestIsRefused() throws {
        let stack = try startStack()
        let account = TestStack.developmentAccount
        let otherOrigin = try stack.http.request("POST", "/api/admin/remove?id=999", credentials: account,
                                                 headers: ["Origin: http://evil.example"])
        XCTAssertEqual(otherOrigin.status, 403, otherOrigin.text)
        let otherPort = try stack.http.request("POST", "/api/admin/remove?id=999", credentials: account,
                                               headers: ["Origin: http://127.0.0.1:1"])
        XCTAssertEqual(otherPort.status, 403, otherPort.text)
        let fetchMetadata = try stack.http.request("POST", "/api/admin/remove?id=999", credentials: account,
                                                   headers: ["Sec-Fetch-Site: cross-site"])
        XCTAssertEqual(fetchMetadata.status, 403, fetchMetadata.text)
    }
}
