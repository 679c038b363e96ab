import Foundation
import XCTest

/// What the site file itself promises: protocol errors from the responder pass
/// through, pack images are served read-only and unlisted, security headers.
final class NginxSiteEndToEndTests: EndToEndTestCase {
    /// Nginx's own error pages say so; the responder's do not.
    static let nginxErrorPageMarker = "<center>nginx</center>"

    func testUnknownAPIRouteIs404FromTheResponder() throws {
        let stack = try startStack()
        let response = try stack.http.request("GET", "/api/no-such-route")
        XCTAssertEqual(response.status, 404)
        XCTAssertFalse(response.text.contains(Self.nginxErrorPageMarker), "404 must come from the responder: \(response.text)")
    }

    func testWrongMethodIs405FromTheResponder() throws {
        let stack = try startStack()
        let response = try stack.http.request("DELETE", "/api/health")
        XCTAssertEqual(response.status, 405)
        XCTAssertFalse(response.text.contains(Self.nginxErrorPageMarker), "405 must come from the responder: \(response.text)")
    }

    func testPackImagesAreServedButFoldersAreNotListed() throws {
        let stack = try startStack()
        let pack = stack.dataDirectory.appendingPathComponent("packs/demo")
        try FileManager.default.createDirectory(at: pack, withIntermediateDirectories: true)
        let image: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0] + Array("not really a face".utf8)
        try Data(image).write(to: pack.appendingPathComponent("x_00001_ori.jpg"))

        let file = try stack.http.request("GET", "/packs/demo/x_00001_ori.jpg")
        XCTAssertEqual(file.status, 200)
        XCTAssertEqual(file.body, image)
        XCTAssertEqual(file.header("content-type"), "image/jpeg")

        for folder in ["/packs/", "/packs/demo/", "/packs/demo"] {
            let listing = try stack.http.request("GET", folder)
            XCTAssertTrue([403, 404, 301].contains(listing.status), "\(folder): \(listing.status)")
            XCTAssertFalse(listing.text.contains("x_00001"), "\(folder) lists the pack: \(listing.text)")
            XCTAssertFalse(listing.text.contains("demo/"), "\(folder) lists the packs: \(listing.text)")
        }

        for method in ["POST", "PUT", "DELETE"] {
            let write = try stack.http.request(method, "/packs/demo/x_00001_ori.jpg", body: Array("x".utf8))
            XCTAssertTrue([403, 405].contains(write.status), "\(method) on a pack image: \(write.status)")
        }
        XCTAssertEqual(try Data(contentsOf: pack.appendingPathComponent("x_00001_ori.jpg")), Data(image))
    }

    /// After an upgrade a browser must not keep running a cached old page or script against the
    /// new server (an old page's answers once meant something else): pages revalidate every load.
    func testPagesAndScriptsAreRevalidatedOnEveryLoad() throws {
        let stack = try startStack()
        for path in ["/", "/experiment.html", "/js/experiment.js", "/js/i18n.js", "/css/site.css"] {
            let response = try stack.http.request("GET", path)
            XCTAssertEqual(response.status, 200, path)
            XCTAssertEqual(response.header("cache-control"), "no-cache", path)
        }
        let page = try stack.http.request("GET", "/admin/", credentials: TestStack.developmentAccount)
        XCTAssertEqual(page.status, 200)
        XCTAssertEqual(page.header("cache-control"), "no-cache")
    }

    func testSecurityHeadersOnAPIAndFiles() throws {
        let stack = try startStack()
        let pack = stack.dataDirectory.appendingPathComponent("packs/demo")
        try FileManager.default.createDirectory(at: pack, withIntermediateDirectories: true)
        try Data([0xFF, 0xD8, 0xFF]).write(to: pack.appendingPathComponent("a.jpg"))

        let responses = [try stack.http.request("GET", "/api/health"),
                         try stack.http.request("GET", "/api/no-such-route"),
                         try stack.http.request("GET", "/packs/demo/a.jpg"),
                         try stack.http.request("GET", "/api/admin/list")]
        for response in responses {
            XCTAssertEqual(response.header("x-content-type-options"), "nosniff", "status \(response.status)")
            let policy = response.header("content-security-policy") ?? ""
            XCTAssertTrue(policy.contains("default-src 'self'"), policy)
            XCTAssertTrue(policy.contains("frame-ancestors 'none'"), policy)
            XCTAssertFalse(policy.contains("unsafe-inline"), policy)
            XCTAssertFalse(policy.contains("unsafe-eval"), policy)
            XCTAssertEqual(response.header("server"), "nginx", "no version in the Server header")
        }
    }

    func testContentFilesComeFromWhicheverLevelHoldsThem() throws {
        let stack = try startStack()
        let levels = stack.dataDirectory.appendingPathComponent("levels")
        for level in ["bronze", "silver", "gold"] {
            try FileManager.default.createDirectory(at: levels.appendingPathComponent(level), withIntermediateDirectories: true)
        }
        try Data("in silver".utf8).write(to: levels.appendingPathComponent("silver/7.txt"))
        try Data("in gold".utf8).write(to: levels.appendingPathComponent("gold/8.txt"))

        XCTAssertEqual(try stack.http.request("GET", "/contents/7.txt").text, "in silver")
        XCTAssertEqual(try stack.http.request("GET", "/contents/8.txt").text, "in gold")
        XCTAssertEqual(try stack.http.request("GET", "/contents/9.txt").status, 404)
        XCTAssertEqual(try stack.http.request("GET", "/contents/").status, 404)
        XCTAssertEqual(try stack.http.request("GET", "/contents/silver/7.txt").status, 404)
    }
}
