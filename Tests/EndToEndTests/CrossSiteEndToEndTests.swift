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
