import Foundation
import XCTest
@testable import Psyx

/// The database file: permissions, durability settings, reopening, migrations.
extension SQLiteStoreTests {
    func testFilesAreReadableByOwnerOnly() throws {
        let store = try SQLiteStore(path: path)
        let pack = try store.createPack(newPack("p", sex: 1, 20, 29), beforeCommit: {})
        _ = try store.insertReply(reply(pack: pack, no: "n"))
        for file in [path, path + "-wal", path + "-shm"] {
            XCTAssertEqual(try mode(of: file), 0o600, file)
        }
    }

    func testExistingLooseFileIsTightened() throws {
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: nil))
        XCTAssertEqual(chmod(path, 0o644), 0)
        let store = try SQLiteStore(path: path)
        try store.ping()
        XCTAssertEqual(try mode(of: path), 0o600)
    }

    func testConnectionSettings() throws {
        let store = try SQLiteStore(path: path)
        let settings = try store.withWriter { db in
            [try db.text("PRAGMA journal_mode"), try db.int64("PRAGMA foreign_keys").map(String.init),
             try db.int64("PRAGMA synchronous").map(String.init), try db.int64("PRAGMA busy_timeout").map(String.init)]
        }
        XCTAssertEqual(settings, ["wal", "1", "2", "5000"])  // synchronous 2 = FULL
        let readerSettings = try store.withReader { db in
            [try db.int64("PRAGMA query_only"), try db.int64("PRAGMA busy_timeout")]
        }
        XCTAssertEqual(readerSettings, [1, 5000])
    }

    func testReopeningKeepsDataAndSchemaVersion() throws {
        var packID: Int64 = 0
        do {
            let store = try SQLiteStore(path: path)
            XCTAssertEqual(try store.schemaVersion(), Migrations.latestVersion)
            packID = try store.createPack(newPack("p", sex: 1, 20, 29), beforeCommit: {})
            _ = try store.insertReply(reply(pack: packID, no: "n", submissionID: "keep-me-1"))
        }
        let reopened = try SQLiteStore(path: path)
        XCTAssertEqual(try reopened.schemaVersion(), Migrations.latestVersion)
        XCTAssertEqual(try reopened.packSummaries().map(\.replyCount), [1])
        XCTAssertEqual(try reopened.pack(id: packID)?.pairs.count, 2)
        XCTAssertEqual(try reopened.insertReply(reply(pack: packID, no: "n", submissionID: "keep-me-1")), .alreadyStored(1))
    }

    func testNewerSchemaIsRefused() throws {
        do {
            let db = try SQLiteDatabase(path: path)
            try db.exec("PRAGMA user_version = \(Migrations.latestVersion + 1)")
        }
        XCTAssertThrowsError(try SQLiteStore(path: path)) {
            guard case .failure? = $0 as? StoreError else { return XCTFail("\($0)") }
        }
    }

    func testAppendedMigrationStepRunsOnce() throws {
        let db = try SQLiteDatabase(path: path)
        try Migrations.run(on: db)
        XCTAssertEqual(try db.int64("PRAGMA user_version"), Int64(Migrations.latestVersion))
        let extended = Migrations.steps + ["CREATE TABLE extra (x INTEGER)"]
        try Migrations.run(on: db, steps: extended)
        try Migrations.run(on: db, steps: extended)  // a second run must not create the table again
        XCTAssertEqual(try db.int64("PRAGMA user_version"), Int64(Migrations.latestVersion + 1))
        XCTAssertEqual(try db.int64("SELECT count(*) FROM sqlite_schema WHERE name = 'extra'"), 1)
    }

    func testFailedMigrationStepLeavesThePreviousVersion() throws {
        let db = try SQLiteDatabase(path: path)
        try Migrations.run(on: db)
        XCTAssertThrowsError(try Migrations.run(on: db, steps: Migrations.steps + ["CREATE TABLE t (x); SELECT nonsense("]))
        XCTAssertEqual(try db.int64("PRAGMA user_version"), Int64(Migrations.latestVersion))
        XCTAssertEqual(try db.int64("SELECT count(*) FROM sqlite_schema WHERE name = 't'"), 0)
    }

    func testUnopenablePathIsAFailure() throws {
        XCTAssertThrowsError(try SQLiteStore(path: directory + "/missing/dir/psyx.sqlite3")) {
            guard case .failure? = $0 as? StoreError else { return XCTFail("\($0)") }
        }
    }

    func mode(of file: String) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: file)
        return try XCTUnwrap(attributes[.posixPermissions] as? Int)
    }
}
