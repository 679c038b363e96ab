import XCTest

/// `GET /api/health` through Nginx: the stack is wired and the responder answers.
final class HealthEndToEndTests: EndToEndTestCase {
    func testHealthAnswersOKJSONThroughNginx() throws {
        let stack = try startStack()
        let response = try stack.http.request("GET", "/api/health")

        XCTAssertEqual(response.status, 200, response.text)
        XCTAssertEqual(response.header("content-type")?.hasPrefix("application/json"), true)
        let object = try XCTUnwrap(response.json as? [String: Any], response.text)
        XCTAssertEqual(object["status"] as? String, "ok")
        let connections = try XCTUnwrap(object["connections"] as? [String: Any], response.text)
        let accepted = try XCTUnwrap(connections["accepted"] as? Int)
        XCTAssertGreaterThanOrEqual(accepted, 1, "this very request came over an accepted connection")
    }

    func testHealthIsPublic() throws {
        let stack = try startStack()
        let response = try stack.http.request("GET", "/api/health")
        XCTAssertNil(response.header("www-authenticate"))
        XCTAssertEqual(response.status, 200)
    }
}
