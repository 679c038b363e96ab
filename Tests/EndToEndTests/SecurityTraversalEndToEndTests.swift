import Foundation
import PsyxTestSupport
import XCTest

/// Path traversal (issue 6): in pack names, in the file names of an upload, in
/// ids, and in the URL of a pack image. Each is refused or harmless: nothing is
/// written outside `packs/<name>/`, nothing outside `packs/` is served.
final class SecurityTraversalEndToEndTests: EndToEndTestCase {
    func testTraversalInPackNamesFileNamesAndIdsWritesNothingOutsideThePackFolder() throws {
        let stack = try startStack(environment: ["PSYX_PACK_SIZE": "2"])
        let client = ExperimentClient(stack: stack)
        let before = filesOutsidePacks(stack)

        // Pack names: refused before anything is written.
        for name in ["../evil", "..", "a/../../b", "x%2F..", "bad/name", "/tmp/x", "..\\evil", "ok\u{0}x"] {
            let response = try client.upload(PackFixture(name: name, pairs: 2).body())
            XCTAssertEqual(response.status, 400, name)
            XCTAssertEqual(ExperimentClient.sentence(response), "Invalid Pack Name", name)
        }

        // File names with folder parts: only the last component counts, inside the pack folder.
        var fixture = PackFixture(name: "safe", pairs: 2)
        fixture.omitted = Set(fixture.fileNames)
        fixture.extraFiles = [
            ("../../" + PackFixture.fileName(1, "ori"), TinyImages.jpeg),
            ("../" + PackFixture.fileName(1, "inv"), TinyImages.jpeg),
            ("/etc/" + PackFixture.fileName(2, "ori"), TinyImages.jpeg),
            ("faces/../../../../" + PackFixture.fileName(2, "inv"), TinyImages.jpeg),
            ("../..", TinyImages.jpeg), ("..", TinyImages.jpeg),
        ]
        let created = try client.upload(fixture.body())
        XCTAssertEqual(created.status, 200, ExperimentClient.sentence(created))
        XCTAssertEqual(ReliabilityProbe.entries(stack, "packs"), ["safe"])
        XCTAssertEqual(ReliabilityProbe.entries(stack, "packs/safe"), PackFixture(name: "safe", pairs: 2).fileNames.sorted())

        // Windows-style paths: refused or kept inside a pack folder, whatever the parser makes of the backslashes.
        var windows = PackFixture(name: "winpath", pairs: 2)
        windows.sex = "1"
        windows.folder = "..\\..\\..\\"
        let windowsAnswer = try client.upload(windows.body())
        XCTAssertTrue([200, 400].contains(windowsAnswer.status), windowsAnswer.text)
        XCTAssertTrue(Set(ReliabilityProbe.entries(stack, "packs")).isSubset(of: ["safe", "winpath"]))
        if windowsAnswer.status == 200 {
            XCTAssertEqual(try client.admin("GET", "/api/admin/remove?id=2").status, 200)
        }

        // Names that would be unsafe as one file name are refused, not written.
        for name in ["..%2F..%2F" + PackFixture.fileName(1, "ori"), "." + PackFixture.fileName(1, "ori")] {
            var bad = PackFixture(name: "unsafe", pairs: 2)
            bad.sex = "1"
            bad.omitted = [PackFixture.fileName(1, "ori")]
            bad.extraFiles = [(name, TinyImages.jpeg)]
            let response = try client.upload(bad.body())
            XCTAssertEqual(response.status, 400, "\(name): \(response.text)")
        }

        // Ids: only a positive integer names a pack.
        for id in ["../1", "1%2F..", "1/..", "%2e%2e%2f1", "1%00", "..%2f..%2fpsyx.sqlite3", "-1", "1e0", "0x1"] {
            XCTAssertEqual(try client.admin("GET", "/api/admin/remove?id=\(id)").status, 400, "remove id=\(id)")
            XCTAssertEqual(try client.admin("POST", "/api/admin/remove?id=\(id)").status, 400, "POST remove id=\(id)")
            XCTAssertEqual(try client.admin("GET", "/api/admin/download?id=\(id)").status, 400, "download id=\(id)")
        }

        XCTAssertEqual(try client.rowCounts(), "packs=1 pack_pairs=2 replies=0")
        XCTAssertEqual(ReliabilityProbe.entries(stack, "packs"), ["safe"])
        XCTAssertEqual(ReliabilityProbe.entries(stack, "staging"), [])
        XCTAssertEqual(filesOutsidePacks(stack), before, "files appeared outside packs/")
        ReliabilityProbe.report("traversal", ["pack_names_refused": 8, "ids_refused": 27, "windows_path_upload": windowsAnswer.status,
                                              "files_outside_packs": 0])
    }

    /// Nginx serves pack images from packs/ and nothing next to it: not the database, not the log.
    func testPackImageURLsCannotReachTheDatabaseOrTheLog() throws {
        let stack = try startStack(environment: ["PSYX_PACK_SIZE": "2"])
        XCTAssertEqual(try ExperimentClient(stack: stack).upload(PackFixture(name: "safe", pairs: 2).body()).status, 200)
        let http = ReliabilityHTTP(port: stack.port)
        let database = Array("SQLite format 3".utf8)
        let paths = ["/packs/../psyx.sqlite3", "/packs/..%2fpsyx.sqlite3", "/packs/%2e%2e/psyx.sqlite3",
                     "/packs/safe/../../psyx.sqlite3", "/packs..%2fpsyx.sqlite3", "/packs/..%2f..%2fdata/psyx.sqlite3",
                     "/packs/../logs/api.log", "/packs/safe/..%2f..%2flogs/api.log", "/packs/%2e%2e%2fpsyx.sqlite3-wal",
                     "/packs/safe/%2e%2e/%2e%2e/psyx.sqlite3", "/packs/", "/packs/safe/"]
        for path in paths {
            let response = try http.request("GET", path)   // sent as it is, no client-side normalising
            XCTAssertNotEqual(response.status, 200, "\(path) answered 200")
            XCTAssertFalse(response.body.starts(with: database), "\(path) served the database")
            XCTAssertFalse(response.text.contains("/api/"), "\(path) served the log")
        }
        // The real image is served.
        XCTAssertEqual(try http.request("GET", "/packs/safe/" + PackFixture.fileName(1, "ori")).body, TinyImages.jpeg)
    }

    /// Every file of the stack's folder outside `data/packs/` and the logs (which
    /// grow with every request), and outside the database files (which change).
    private func filesOutsidePacks(_ stack: TestStack) -> [String] {
        let root = stack.directory.standardizedFileURL
        guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else { return [] }
        var files: [String] = []
        for case let url as URL in walker {
            let relative = String(url.standardizedFileURL.path.dropFirst(root.path.count + 1))
            if relative == "data/packs" || relative == "data/logs" || relative == "run/logs" || relative == "run/tmp" {
                walker.skipDescendants()
                continue
            }
            if relative.hasPrefix("data/psyx.sqlite3") || relative.hasPrefix("curl-") || relative.hasPrefix("cmd-") { continue }
            files.append(relative)
        }
        return files.sorted()
    }
}
