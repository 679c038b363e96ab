import XCTest

/// `fastcgi_keep_conn on` + upstream `keepalive`: Nginx reuses its connections
/// to the responder instead of opening one per request.
final class UpstreamKeepAliveEndToEndTests: EndToEndTestCase {
    func testThousandSequentialRequestsReuseAHandfulOfUpstreamConnections() throws {
        let stack = try startStack()
        let before = try acceptedConnections(stack)

        let statuses = try stack.http.repeatedGet("/api/health", count: 1000)
        XCTAssertEqual(statuses.count, 1000)
        XCTAssertEqual(statuses.filter { $0 == 200 }.count, 1000, "every request answered 200")

        let after = try acceptedConnections(stack)
        let opened = after - before
        XCTAssertGreaterThanOrEqual(opened, 0)
        XCTAssertLessThanOrEqual(opened, 20, "1000 requests opened \(opened) upstream connections: keep-alive is not working")
    }

    private func acceptedConnections(_ stack: TestStack) throws -> Int {
        let response = try stack.http.request("GET", "/api/health")
        XCTAssertEqual(response.status, 200, response.text)
        let object = try XCTUnwrap(response.json as? [String: Any], response.text)
        let connections = try XCTUnwrap(object["connections"] as? [String: Any], response.text)
        return try XCTUnwrap(connections["accepted"] as? Int, response.text)
    }
}
