import XCTest

/// What nginx/psyx.conf passes to the responder, seen by a fake responder on the
/// socket: the authenticated user yes, the password never, the client address
/// as Nginx saw it, and upstream connections kept open.
final class ForwardedParametersEndToEndTests: EndToEndTestCase {
    func testAdminRequestCarriesRemoteUserButNotTheAuthorizationHeader() throws {
        let stack = try startStack(fakeResponder: true)
        let fake = try XCTUnwrap(stack.fake)
        let before = fake.requests.count
        let response = try stack.http.request("GET", "/api/admin/list?x=1", credentials: TestStack.developmentAccount,
                                              headers: ["X-Real-IP: 203.0.113.9", "Proxy: http://evil.example"])
        XCTAssertEqual(response.text, "fake")

        let params = try XCTUnwrap(fake.requests.dropFirst(before).first)
        XCTAssertEqual(params["REMOTE_USER"], "admin")
        XCTAssertNil(params["HTTP_AUTHORIZATION"], "the password must not reach the responder")
        XCTAssertFalse(params.values.contains { $0.hasPrefix("Basic ") }, "no parameter carries the credentials")
        XCTAssertEqual(params["REMOTE_ADDR"], "127.0.0.1")
        XCTAssertEqual(params["HTTP_X_REAL_IP"], "127.0.0.1", "a client cannot choose its logged address")
        XCTAssertNil(params["HTTP_PROXY"])
        XCTAssertEqual(params["REQUEST_METHOD"], "GET")
        XCTAssertEqual(params["DOCUMENT_URI"], "/api/admin/list")
        XCTAssertEqual(params["QUERY_STRING"], "x=1")
        XCTAssertEqual(params["HTTP_HOST"], "127.0.0.1:\(stack.port)", "Host with its port, to compare with Origin")
    }

    func testPublicRequestCarriesNoUser() throws {
        let stack = try startStack(fakeResponder: true)
        let fake = try XCTUnwrap(stack.fake)
        let before = fake.requests.count
        // Credentials sent to a public route are not checked by Nginx, and must not
        // turn into a user either.
        _ = try stack.http.request("GET", "/api/health", credentials: TestStack.developmentAccount)
        let params = try XCTUnwrap(fake.requests.dropFirst(before).first)
        XCTAssertEqual(params["REMOTE_USER"] ?? "", "")
        XCTAssertNil(params["HTTP_AUTHORIZATION"])
    }

    func testBodyParametersAndRelocationRoutesFromLoopback() throws {
        let stack = try startStack(fakeResponder: true)
        let fake = try XCTUnwrap(stack.fake)
        let before = fake.requests.count
        let response = try stack.http.request("POST", "/post_sentence", headers: ["Content-Type: application/x-www-form-urlencoded"],
                                              body: Array("cid=7&count=1964".utf8))
        XCTAssertEqual(response.status, 200, "loopback may call /post_sentence")
        let params = try XCTUnwrap(fake.requests.dropFirst(before).first)
        XCTAssertEqual(params["REQUEST_METHOD"], "POST")
        XCTAssertEqual(params["DOCUMENT_URI"], "/post_sentence")
        XCTAssertEqual(params["CONTENT_LENGTH"], "16")
        XCTAssertEqual(params["CONTENT_TYPE"], "application/x-www-form-urlencoded")
    }
}
