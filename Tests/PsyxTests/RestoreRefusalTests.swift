import Foundation
import PsyxTestSupport
import XCTest
@testable import Psyx

/// `psyx restore` refuses a damaged, changed or strange backup and a non-empty data directory, and
/// leaves the data directory as it found it: not there, or empty.
final class RestoreRefusalTests: XCTestCase {
    private var fixture: BackupFixture!
    private var backup: String { fixture.scratch + "/backup" }
    private var target: String { fixture.scratch + "/restored" }
    private let image = "packs/female20s/" + PackFixture.fileName(2, "ori")

    override func setUpWithError() throws {
        fixture = try BackupFixture()
        _ = try fixture.backup()
    }

    override func tearDown() {
        fixture = nil
    }

    /// Refused with `expected`, nothing left: no data directory, and an empty one stays empty.
    private func assertRestoreRefused(_ expected: String, file: StaticString = #filePath, line: UInt = #line) throws {
        assertBackupRefused(try fixture.restore(), expected, file: file, line: line)
        XCTAssertFalse(FileManager.default.fileExists(atPath: target), "a refused restore left \(target)", file: file, line: line)
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: false)
        assertBackupRefused(try fixture.restore(), expected, file: file, line: line)
        XCTAssertEqual(BackupFixture.tree(target), [], file: file, line: line)
        try FileManager.default.removeItem(atPath: target)
    }

    private func editManifest(_ change: (inout [String]) -> Void) throws {
        let path = backup + "/SHA256SUMS"
        var lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
        change(&lines)
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
    }

    func testNonEmptyDataDirectoryIsRefusedAndUntouched() throws {
        try FileManager.default.createDirectory(atPath: target + "/packs", withIntermediateDirectories: true)
        assertBackupRefused(try fixture.restore(), "the data directory \(target) is not empty")
        XCTAssertEqual(BackupFixture.tree(target), ["packs/"])
        assertBackupRefused(try fixture.restore(into: backup + "/inside"), "is inside SRC")
        XCTAssertFalse(FileManager.default.fileExists(atPath: backup + "/inside"))
    }

    func testTamperedFile() throws {
        var bytes = try XCTUnwrap(FileManager.default.contents(atPath: backup + "/" + image))
        bytes[bytes.count / 2] ^= 0x01
        try bytes.write(to: URL(fileURLWithPath: backup + "/" + image))
        try assertRestoreRefused("\(image) does not have the SHA-256 SHA256SUMS lists")
    }

    func testMissingFile() throws {
        try FileManager.default.removeItem(atPath: backup + "/" + image)
        try assertRestoreRefused("\(image) is listed in SHA256SUMS but missing")
    }

    func testExtraFile() throws {
        try Data([1, 2, 3]).write(to: URL(fileURLWithPath: backup + "/packs/male20s/extra.jpg"))
        try assertRestoreRefused("packs/male20s/extra.jpg is not listed in SHA256SUMS")
    }

    func testPathsLeavingTheBackupAreRefused() throws {
        let hash = String(repeating: "0", count: 64)
        for path in ["../outside", "packs/../../outside", "/etc/passwd", "packs//x", "./psyx.sqlite3"] {
            try editManifest { $0.append("\(hash)  \(path)") }
            try assertRestoreRefused(path.hasPrefix("/") ? "is not a relative path" : "leaves the backup folder")
            try editManifest { $0.removeLast() }
        }
        try editManifest { $0.append("\(hash)  notes.txt") }
        try assertRestoreRefused("lists notes.txt, which is not a file a psyx backup holds")
        try editManifest { $0.removeLast() }
        try editManifest { $0.append($0[0]) }
        try assertRestoreRefused("is listed twice")
        var lineCount = 0
        try editManifest { $0.removeLast(); $0.append("not a manifest line"); lineCount = $0.count }
        try assertRestoreRefused("SHA256SUMS line \(lineCount) is not `<sha256>  <path>`")
    }

    func testSymbolicLinkIsRefusedEvenWithTheRightContent() throws {
        try FileManager.default.moveItem(atPath: backup + "/" + image, toPath: fixture.scratch + "/elsewhere.jpg")
        try FileManager.default.createSymbolicLink(atPath: backup + "/" + image, withDestinationPath: fixture.scratch + "/elsewhere.jpg")
        try assertRestoreRefused("\(image) is a symbolic link or a special file")
    }

    func testMissingManifestOrMetadata() throws {
        try FileManager.default.removeItem(atPath: backup + "/backup.json")
        try editManifest { $0.removeAll { $0.hasSuffix("  backup.json") } }
        try assertRestoreRefused("SHA256SUMS does not list backup.json")
        try FileManager.default.removeItem(atPath: backup + "/SHA256SUMS")
        try assertRestoreRefused("SHA256SUMS is missing: SRC must be a folder written by psyx backup")
    }

    /// Files whose hashes match but whose content a restore must still refuse: a newer backup format,
    /// a newer schema, pack rows without their folder. The last two are found after the copy, which is
    /// then removed again.
    func testConsistentButUnrestorableBackups() throws {
        try rewrite("backup.json") { text in text.replacingOccurrences(of: "\"format_version\" : 1", with: "\"format_version\" : 2") }
        try assertRestoreRefused("the backup's format version 2 is newer than this psyx reads (1)")
        try rewrite("backup.json") { text in text.replacingOccurrences(of: "\"format_version\" : 2", with: "\"format_version\" : 1") }

        let db = try SQLiteDatabase(path: backup + "/psyx.sqlite3", mode: .readWrite)
        try db.exec("PRAGMA user_version = 99")
        try rehash("psyx.sqlite3")
        try assertRestoreRefused("database schema version 99 is newer than this psyx understands")
        try db.exec("PRAGMA user_version = \(Migrations.latestVersion)")
        try rehash("psyx.sqlite3")
        XCTAssertNoThrow(try fixture.restore(), "the backup restores once put back")
        try FileManager.default.removeItem(atPath: target)

        try FileManager.default.removeItem(atPath: backup + "/packs/male20s")
        try editManifest { $0.removeAll { $0.contains("  packs/male20s/") } }
        try assertRestoreRefused("pack male20s (p_id 2) has no folder packs/male20s")
    }

    private func rewrite(_ name: String, _ change: (String) -> String) throws {
        let path = backup + "/" + name
        try change(try String(contentsOfFile: path, encoding: .utf8)).write(toFile: path, atomically: true, encoding: .utf8)
        try rehash(name)
    }

    /// Puts the file's true hash in the manifest, as someone who edits a backup on purpose would.
    private func rehash(_ name: String) throws {
        let hash = SHA256.hex(of: try XCTUnwrap(FileManager.default.contents(atPath: backup + "/" + name)))
        try editManifest { lines in
            lines = lines.map { $0.hasSuffix("  " + name) ? hash + "  " + name : $0 }
        }
    }
}
