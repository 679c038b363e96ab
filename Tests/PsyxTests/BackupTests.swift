import Foundation
import PsyxTestSupport
import XCTest
@testable import Psyx

/// `psyx backup` and `psyx restore` on a data directory made by the real Application, online.
final class BackupTests: XCTestCase {
    func testBackupWhileOpenThenRestoreServesTheSameDownloads() throws {
        let fixture = try BackupFixture()
        let live = BackupFixture.answers(fixture.app)
        let outcome = try fixture.backup()
        XCTAssertEqual(outcome.metadata.packs, 2)
        XCTAssertEqual(outcome.metadata.replies, 5)
        XCTAssertEqual(outcome.metadata.schemaVersion, Migrations.latestVersion)
        XCTAssertEqual(outcome.packFolders, 2)
        XCTAssertEqual(outcome.packFiles, 13)
        XCTAssertEqual(outcome.leftOut.map(\.name), [])

        let backup = fixture.scratch + "/backup"
        let images = (1...3).flatMap { [PackFixture.fileName($0, "inv"), PackFixture.fileName($0, "ori")] }.sorted()
        XCTAssertEqual(BackupFixture.tree(backup), ["SHA256SUMS", "backup.json", "packs/", "packs/female20s/"]
            + images.map { "packs/female20s/" + $0 } + ["packs/male20s/", "packs/male20s/base.png"] + images.map { "packs/male20s/" + $0 }
            + ["psyx.sqlite3"])
        // The operator's own check, and a self-contained database file (legacy journal, not WAL).
        let check = try BackupFixture.run(["sha256sum", "--strict", "-c", "SHA256SUMS"], in: backup)
        XCTAssertEqual(check.status, 0, check.output)
        XCTAssertEqual(check.output.split(separator: "\n").count, 15, check.output)
        let header = try XCTUnwrap(FileManager.default.contents(atPath: backup + "/psyx.sqlite3"))
        XCTAssertEqual([header[18], header[19]], [1, 1], "the copy is in rollback-journal mode")
        let metadata = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: backup + "/backup.json"))) as? [String: Any])
        XCTAssertEqual(metadata["format"] as? String, "psyx-backup")
        XCTAssertEqual(metadata["format_version"] as? Int, 1)
        XCTAssertEqual(metadata["packs"] as? Int, 2)
        XCTAssertEqual(metadata["replies"] as? Int, 5)
        for path in ["", "/packs", "/packs/female20s"] {
            XCTAssertEqual(FileStatus.of(backup + path)?.permissions, 0o700, path)
        }
        XCTAssertEqual(FileStatus.of(backup + "/psyx.sqlite3")?.permissions, 0o600)

        let summary = BackupCommands.summary(outcome, of: BackupCommand(data: fixture.data, destination: backup), started: Date())
        XCTAssertTrue(summary.contains("2 packs, 5 replies"), summary)
        XCTAssertTrue(summary.contains("2 folders, 13 files"), summary)
        XCTAssertFalse(summary.contains("홍길동") || summary.contains("Fq0") || summary.contains("a@b.kr"), "no personal data in the output")

        // A strict umask (an operator's shell) must not keep Nginx from the restored images.
        let umaskBefore = umask(0o077)
        let restored = try fixture.restore()
        umask(umaskBefore)
        XCTAssertEqual([restored.packs, restored.replies, restored.packFiles], [2, 5, 13])
        let target = fixture.scratch + "/restored"
        XCTAssertEqual(FileStatus.of(target + "/psyx.sqlite3")?.permissions, 0o600)
        XCTAssertEqual(FileStatus.of(target + "/packs/male20s")?.permissions, 0o750)
        XCTAssertEqual(FileStatus.of(target + "/packs/male20s/" + images[0])?.permissions, 0o640)
        XCTAssertFalse(FileManager.default.fileExists(atPath: target + "/backup.json"))
        let app = try AppHarness(packSize: 3, directory: target)
        XCTAssertEqual(BackupFixture.answers(app), live)
        XCTAssertEqual(FileManager.default.contents(atPath: target + "/packs/male20s/base.png"),
                       FileManager.default.contents(atPath: fixture.data.packs + "/male20s/base.png"))
        // The restored server takes new participants.
        let started = app.json("POST", "/api/reply/start", Participants.details(no: "R1"))
        XCTAssertEqual(started.status, 200, started.sentence)
    }

    /// A pack removed between the snapshot and the copy of its folder is left out whole, and said so.
    func testPackRemovedDuringBackupIsLeftOutWhole() throws {
        let fixture = try BackupFixture()
        let live = BackupFixture.answers(fixture.app)
        let outcome = try fixture.backup { pack in
            if pack.name == "female20s" {
                XCTAssertEqual(fixture.app.call("POST", "/api/admin/remove", query: "id=1").text, "Pack 1 Deleted.")
            }
        }
        XCTAssertEqual(outcome.leftOut.map(\.name), ["female20s"])
        XCTAssertEqual(outcome.leftOut.map(\.replyCount), [3])
        XCTAssertEqual([outcome.metadata.packs, outcome.metadata.replies], [1, 2])
        XCTAssertEqual(outcome.metadata.packsLeftOut, ["female20s"])
        let summary = BackupCommands.summary(outcome, of: BackupCommand(data: fixture.data, destination: "D"), started: Date())
        XCTAssertTrue(summary.contains("left out  pack female20s (p_id 1, 3 replies): removed while the backup ran"), summary)
        XCTAssertFalse(FileManager.default.fileExists(atPath: fixture.scratch + "/backup/packs/female20s"))

        _ = try fixture.restore()
        let app = try AppHarness(packSize: 3, directory: fixture.scratch + "/restored")
        let restored = BackupFixture.answers(app)
        XCTAssertEqual(restored["json 2"], live["json 2"])
        XCTAssertEqual(restored["csv 2"], live["csv 2"])
        XCTAssertEqual(app.call("GET", "/api/admin/download", query: "id=1").sentence, "Pack 1 Not Found")
    }

    /// `psyx backup` as the command line runs it, with the database named by `--database sqlite:PATH`.
    func testCommandLineWithAnExplicitSQLiteDatabase() throws {
        let fixture = try BackupFixture()
        let (settings, words) = try Settings.parse(["--data", fixture.data.root, "--database", "sqlite:" + fixture.data.database,
                                                    "backup", fixture.scratch + "/cli"], environment: [:])
        try CommandDispatch.run(words, settings: settings)
        let metadata = try BackupMetadata(json: Array(try Data(contentsOf: URL(fileURLWithPath: fixture.scratch + "/cli/backup.json"))))
        XCTAssertEqual([metadata.packs, metadata.replies], [2, 5])
    }

    /// A data directory no psyx has open (no -wal, no -shm) backs up too, and leaves none behind.
    func testBackupOfAClosedDataDirectory() throws {
        let scratch = NSTemporaryDirectory() + "psyx-closed-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let closed = DataDirectory(scratch + "/closed")
        do {
            let app = try AppHarness(packSize: 3, directory: scratch + "/data")
            XCTAssertEqual(app.upload(PackFixture(name: "p", pairs: 3).body()).status, 200)
            // What a stopped psyx leaves: the database file alone, everything checkpointed into it.
            let db = try SQLiteDatabase(path: app.application.data.database, mode: .readWrite)
            try db.exec("PRAGMA wal_checkpoint(TRUNCATE)")
            try FileManager.default.createDirectory(atPath: closed.root, withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: app.application.data.database, toPath: closed.database)
            try FileManager.default.copyItem(atPath: app.application.data.packs, toPath: closed.packs)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: closed.database + "-wal"))
        let outcome = try BackupCommand(data: closed, destination: scratch + "/backup").run()
        XCTAssertEqual(outcome.metadata.packs, 1)
        XCTAssertFalse(FileManager.default.fileExists(atPath: closed.database + "-wal"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: closed.database + "-shm"))
    }
}
