import PsyxTestSupport
import XCTest

/// Every refusal of `create` (spec §3.1): its message, and that nothing was left behind.
final class PackCreateChecksTests: XCTestCase {
    var app: AppHarness!

    override func setUpWithError() throws {
        app = try AppHarness(packSize: 3)
        XCTAssertEqual(app.upload(PackFixture(name: "existing", pairs: 3).body()).status, 200)
    }

    override func tearDown() { app = nil }

    func assertRefused(_ fixture: PackFixture, closed: Bool = true, _ message: String, line: UInt = #line) {
        let answer = app.upload(fixture.body(closed: closed))
        XCTAssertEqual(answer.status, 400, answer.text, line: line)
        XCTAssertEqual(answer.sentence, message, line: line)
        XCTAssertEqual(answer.header("Content-Type"), "text/html; charset=utf-8", line: line)
        XCTAssertEqual(app.packFolders, ["existing"], line: line)
        XCTAssertEqual(app.stagingEntries, [], line: line)
        XCTAssertEqual(app.call("GET", "/api/admin/list").text.components(separatedBy: "p_id").count, 2, line: line)
    }

    func testFieldChecksInSpecOrder() {
        var fixture = PackFixture(name: "fresh", pairs: 3)
        fixture.pairs = 0
        assertRefused(fixture, "Nothing Uploaded")
        for bad in ["", "Upper", "1abc", "has-dash", "a_very_long_name", "../x", "é"] {
            assertRefused(PackFixture(name: bad, pairs: 3), "Invalid Pack Name")
        }
        for (low, high) in [("-1", "20"), ("20", "121"), ("30", "20"), ("x", "20"), ("", "20"), ("2.5", "20")] {
            var fixture = PackFixture(name: "fresh", pairs: 3)
            fixture.ageMin = low
            fixture.ageMax = high
            assertRefused(fixture, "Invalid Age Bound")
        }
        for sex in ["0", "3", "", "male"] {
            var fixture = PackFixture(name: "fresh", pairs: 3)
            fixture.sex = sex
            assertRefused(fixture, "Invalid Sex")
        }
        assertRefused(PackFixture(name: "existing", pairs: 3), "Pack Existed")
    }

    func testFolderChecks() {
        assertRefused(PackFixture(name: "fresh", pairs: 2), "Invalid Folder Size: a pack needs 3 pairs (6 images)")
        assertRefused(PackFixture(name: "fresh", pairs: 4), "Invalid Folder Size: a pack needs 3 pairs (6 images)")
        var unpaired = PackFixture(name: "fresh", pairs: 3)
        unpaired.omitted = [PackFixture.fileName(2, "inv")]
        assertRefused(unpaired, "Invalid Folder Size: a pack needs 3 pairs (6 images)")
        var duplicated = PackFixture(name: "fresh", pairs: 3)
        duplicated.extraFiles = [("other/" + PackFixture.fileName(1, "ori"), TinyImages.jpeg)]
        assertRefused(duplicated, "Invalid Folder Size: a pack needs 3 pairs (6 images)")
        var notImage = PackFixture(name: "fresh", pairs: 3)
        notImage.replaced = [PackFixture.fileName(3, "ori"): Array("<?php echo 1; ?>".utf8)]
        assertRefused(notImage, "Invalid Image: \(PackFixture.fileName(3, "ori"))")
        var truncated = PackFixture(name: "fresh", pairs: 3)
        truncated.sex = "1"
        assertRefused(truncated, closed: false, "Malformed Upload: the body ends before its final boundary")
    }

    func testOverlappingConditionRefusedOtherSexAccepted() {
        var overlapping = PackFixture(name: "fresh", pairs: 3)
        overlapping.ageMin = "29"
        overlapping.ageMax = "40"
        assertRefused(overlapping, "Pack Condition Overlapped: existing (sex 2, ages 20-29)")
        overlapping.sex = "1"
        XCTAssertEqual(app.upload(overlapping.body()).text, "Pack 2 Added.")
    }

    func testSkippedFilesAndTraversalNamesAreHarmless() throws {
        var fixture = PackFixture(name: "fresh", pairs: 3)
        fixture.sex = "1"
        fixture.folder = "../../"
        fixture.extraFiles = [(".DS_Store", [0, 1, 2]), ("faces/Thumbs.db", [3]), ("../../etc/passwd", Array("x".utf8))]
        let answer = app.upload(fixture.body())
        XCTAssertEqual(answer.text, "Pack 2 Added.")
        let stored = try FileManager.default.contentsOfDirectory(atPath: app.directory + "/packs/fresh").sorted()
        XCTAssertEqual(stored, fixture.fileNames.sorted())
        XCTAssertFalse(FileManager.default.fileExists(atPath: app.directory + "/etc"))
    }

    func testPNGAcceptedByItsBytes() {
        var fixture = PackFixture(name: "pngs", pairs: 3)
        fixture.sex = "1"
        fixture.imageBytes = { _, _ in TinyImages.pngHead }
        XCTAssertEqual(app.upload(fixture.body()).text, "Pack 2 Added.")
    }
}
