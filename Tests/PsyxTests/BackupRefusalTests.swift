import Foundation
import PsyxTestSupport
import XCTest
@testable import Psyx

/// `psyx backup` refuses what it must not do and leaves DEST as it found it.
final class BackupRefusalTests: XCTestCase {
    func testNonEmptyOrWrongDestinationIsRefusedAndUntouched() throws {
        let fixture = try BackupFixture()
        let dest = fixture.scratch + "/dest"
        try FileManager.default.createDirectory(atPath: dest, withIntermediateDirectories: true)
        try Data("keep".utf8).write(to: URL(fileURLWithPath: dest + "/notes.txt"))
        assertBackupRefused(try fixture.backup("dest"), "DEST \(dest) is not empty (1 entries)")
        XCTAssertEqual(BackupFixture.tree(dest), ["notes.txt"])
        XCTAssertEqual(try String(contentsOfFile: dest + "/notes.txt", encoding: .utf8), "keep")

        assertBackupRefused(try fixture.backup("dest/notes.txt"), "exists and is not a folder")
        assertBackupRefused(try fixture.backup("missing/dest"), "its parent folder \(fixture.scratch)/missing does not exist")
        let inside = BackupCommand(data: fixture.data, destination: fixture.data.root + "/backups")
        assertBackupRefused(try inside.run(), "is inside the data directory")
        XCTAssertFalse(FileManager.default.fileExists(atPath: fixture.data.root + "/backups"))
    }

    func testNoDatabaseIsRefusedAndLeavesNoDestination() throws {
        let scratch = NSTemporaryDirectory() + "psyx-nodb-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: scratch + "/data", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let command = BackupCommand(data: DataDirectory(scratch + "/data"), destination: scratch + "/dest")
        assertBackupRefused(try command.run(), "no database at \(scratch)/data/psyx.sqlite3")
        XCTAssertFalse(FileManager.default.fileExists(atPath: scratch + "/dest"))
    }

    /// A pack whose row is live but whose folder is gone cannot be backed up whole: the backup fails,
    /// and an empty DEST that was there stays, empty.
    func testFailureHalfWayLeavesAnEmptyDestinationEmpty() throws {
        let fixture = try BackupFixture()
        try FileManager.default.removeItem(atPath: fixture.data.packs + "/male20s")
        let dest = fixture.scratch + "/dest"
        try FileManager.default.createDirectory(atPath: dest, withIntermediateDirectories: true)
        assertBackupRefused(try fixture.backup("dest"), "packs/male20s could not be copied")
        XCTAssertEqual(BackupFixture.tree(dest), [])
        assertBackupRefused(try fixture.backup("new"), "packs/male20s could not be copied")
        XCTAssertFalse(FileManager.default.fileExists(atPath: fixture.scratch + "/new"))
    }

    func testCommandLineMistakes() throws {
        let (settings, _) = try Settings.parse(["--data", NSTemporaryDirectory() + "psyx-unused"], environment: [:])
        for words in [["backup"], ["restore"], ["backup", "a", "b"], ["restore", "--force"]] {
            XCTAssertThrowsError(try CommandDispatch.run(words, settings: settings), "\(words)") { error in
                XCTAssertTrue(String(describing: error).hasPrefix("usage: psyx backup DEST"), "\(error)")
            }
        }
        for (database, expected) in [("postgresql://psyx@db/psyx", "back it up with pg_dump or a base backup"),
                                     ("host=db dbname=psyx", "back it up with pg_dump")] {
            let (postgres, _) = try Settings.parse(["--database", database], environment: [:])
            for command in ["backup", "restore"] {
                XCTAssertThrowsError(try CommandDispatch.run([command, "/tmp/never"], settings: postgres)) { error in
                    XCTAssertTrue(String(describing: error).contains(expected), "\(error)")
                }
            }
        }
        let (elsewhere, _) = try Settings.parse(["--data", "/tmp/never-data", "--database", "sqlite:/tmp/other.sqlite3"], environment: [:])
        XCTAssertThrowsError(try CommandDispatch.run(["restore", "/tmp/never"], settings: elsewhere)) { error in
            XCTAssertTrue(String(describing: error).contains("restore without --database (PSYX_DATABASE), then move"), "\(error)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: "/tmp/never-data"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: "/tmp/never"))
        XCTAssertTrue(Settings.helpText.contains("psyx backup DEST"))
        XCTAssertTrue(Settings.helpText.contains("psyx restore SRC"))
    }
}

/// Fails unless `body` throws a `BackupError` whose sentence contains `expected`.
func assertBackupRefused<T>(_ body: @autoclosure () throws -> T, _ expected: String, file: StaticString = #filePath, line: UInt = #line) {
    do {
        _ = try body()
        XCTFail("not refused; expected: \(expected)", file: file, line: line)
    } catch let error as BackupError {
        XCTAssertTrue(error.description.contains(expected), "\(error.description)\n does not contain: \(expected)", file: file, line: line)
    } catch {
        XCTFail("unexpected error \(error)", file: file, line: line)
    }
}
