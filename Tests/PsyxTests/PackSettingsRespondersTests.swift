import Foundation
import PsyxTestSupport
import XCTest
@testable import Psyx

/// Two responders on one PostgreSQL database: a settings change made through one is in the other's
/// start answer and public view at once (its cached start answer is made again).
final class PackSettingsRespondersTests: XCTestCase {
    func testASettingsChangeReachesTheOtherResponder() throws {
        let schema = try PostgreSQLTestSchema()
        let first = try AppHarness(packSize: 3, arguments: ["--database", schema.connectionString])
        let second = try AppHarness(packSize: 3, arguments: ["--database", schema.connectionString])
        XCTAssertEqual(first.upload(PackFixture(name: "p", pairs: 3).body()).status, 200)
        func startLimit(_ app: AppHarness) throws -> Double? {
            (try app.json("POST", "/api/reply/start", Participants.details()).json() as? [String: Any])?["time_limit"] as? Double
        }
        XCTAssertEqual(try startLimit(second), 3.0, "now cached on the second responder")
        let body = Array("id=1&time_limit=1.5&consent=Agreed.".utf8)
        XCTAssertEqual(first.call("POST", "/api/admin/settings", body: body, contentType: "application/x-www-form-urlencoded").status, 200)
        XCTAssertTrue(Wait.until(timeout: 10) { (try? startLimit(second)) == 1.5 }, "the second responder's start answer followed")
        let view = try XCTUnwrap(try second.call("GET", "/api/reply/pack", query: "name=p", user: nil).json() as? [String: Any])
        XCTAssertEqual(view["consent"] as? String, "Agreed.")
    }
}
