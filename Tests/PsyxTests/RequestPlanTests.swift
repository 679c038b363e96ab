import FastCGI
import Foundation
import XCTest
@testable import Psyx

/// What psyx tells the FastCGI server from a request's params alone (issue 17 item 4): each
/// route's body limit, and the answers decided before the body (no route, uploads while the
/// data directory is under its free-space floor).
final class RequestPlanTests: XCTestCase {
    private var directory = ""

    override func setUpWithError() throws {
        directory = NSTemporaryDirectory() + "psyx-plan-" + UUID().uuidString
    }

    override func tearDown() { try? FileManager.default.removeItem(atPath: directory) }

    private func responder(_ arguments: [String] = []) throws -> PsyxResponder {
        let (settings, _) = try Settings.parse(["--data", directory] + arguments, environment: [:])
        return try Application(settings: settings).makeResponder()
    }

    private func request(_ method: String, _ path: String, user: String? = "admin") -> Request {
        var params = ["REQUEST_METHOD": method, "DOCUMENT_URI": path, "REQUEST_URI": path, "CONTENT_LENGTH": "100"]
        params["REMOTE_USER"] = user
        return Request(params: Params(params))
    }

    func testEachRouteHasItsBodyLimitAndOnlyTheUploadTakesTheServers() throws {
        let responder = try responder()
        let cases: [(String, String, Int?, Bool)] = [
            ("POST", "/api/reply/start", 16 * 1024, true),
            ("POST", "/api/reply/submit", 4 << 20, false),
            ("POST", "/api/admin/create", nil, false),
            ("GET", "/api/admin/list", 64 * 1024, true),
            ("POST", "/api/admin/remove", 64 * 1024, false),
            ("GET", "/api/health", 64 * 1024, true),
            ("POST", "/post_sentence", 64 * 1024, false),
        ]
        for (method, path, limit, inline) in cases {
            let plan = responder.plan(for: request(method, path))
            XCTAssertEqual(plan.maxBodyBytes, limit, path)
            XCTAssertEqual(plan.answersInline, inline, path)
            XCTAssertNil(plan.answer, path)
        }
    }

    func testNoRouteIsAnsweredFromTheParams() throws {
        let responder = try responder()
        XCTAssertEqual(responder.plan(for: request("POST", "/api/nothing")).answer?.status, 404)
        let wrongMethod = responder.plan(for: request("POST", "/api/admin/list")).answer
        XCTAssertEqual(wrongMethod?.status, 405)
        XCTAssertEqual(wrongMethod?.header("Allow"), "GET")
    }

    func testAnUploadUnderTheFloorIs503BeforeItsBodyAndOnlyForAnAdmin() throws {
        let responder = try responder(["--min-free-disk", String(1 << 60)])
        let refused = try XCTUnwrap(responder.plan(for: request("POST", "/api/admin/create")).answer)
        XCTAssertEqual(refused.status, 503)
        XCTAssertEqual(responder.plan(for: request("POST", "/api/admin/create", user: nil)).answer?.status, 403,
                       "access is checked first: an anonymous upload learns nothing of the disk")
        XCTAssertNil(responder.plan(for: request("POST", "/api/reply/submit")).answer, "replies are still taken")
        XCTAssertNil(try self.responder(["--min-free-disk", "0"]).plan(for: request("POST", "/api/admin/create")).answer,
                     "a floor of 0 turns the guard off")
    }

    func testHealthReportsTheDiskAndWhyUploadsAreRefused() throws {
        func disk(_ responder: PsyxResponder) throws -> [String: Any] {
            let response = responder.respond(to: request("GET", "/api/health", user: nil))
            guard case .bytes(let body) = response.body else { throw PlanTestError.streamedHealth }
            let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any])
            XCTAssertEqual(object["status"] as? String, "ok")
            return try XCTUnwrap(object["disk"] as? [String: Any])
        }
        let open = try disk(try responder())
        XCTAssertEqual(open["uploads"] as? String, "open")
        XCTAssertEqual(open["floor_bytes"] as? Int, 1 << 30, "1 GiB by default")
        XCTAssertGreaterThan(open["free_bytes"] as? Int ?? 0, 0)
        XCTAssertNil(open["reason"])

        let low = try disk(try responder(["--min-free-disk", String(1 << 60)]))
        XCTAssertEqual(low["uploads"] as? String, "refused")
        XCTAssertEqual(low["reason"] as? String, HealthRoutes.lowDiskReason)
    }

    func testTheFloorSettingIsCheckedLikeTheOthers() throws {
        XCTAssertEqual(try Settings.parse([], environment: ["PSYX_MIN_FREE_DISK": "5000"]).0.minFreeDiskBytes, 5000)
        XCTAssertEqual(try Settings.parse(["--min-free-disk=7"], environment: ["PSYX_MIN_FREE_DISK": "5000"]).0.minFreeDiskBytes, 7)
        XCTAssertThrowsError(try Settings.parse(["--min-free-disk", "-1"], environment: [:]))
        XCTAssertThrowsError(try Settings.parse(["--min-free-disk", "lots"], environment: [:]))
        XCTAssertTrue(Settings.helpText.contains("PSYX_MIN_FREE_DISK"))
    }
}

private enum PlanTestError: Error {
    case streamedHealth
}
