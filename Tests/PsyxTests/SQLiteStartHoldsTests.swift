import Foundation
import XCTest
@testable import Psyx

/// `StartHoldScenarios` on `holds.sqlite`, plus its file and its sweep.
final class SQLiteStartHoldsTests: XCTestCase, StartHoldScenarios {
    let backend = StoreBackend.sqlite

    func testAClaimHoldsTheNumberForItsTokenOnly() throws { try aClaimHoldsTheNumberForItsTokenOnly() }
    func testAnEndedHoldIsFreeAndARenewalKeepsIt() throws { try anEndedHoldIsFreeAndARenewalKeepsIt() }
    func testAnotherRespondersClaimIsSeenAtOnce() throws { try anotherRespondersClaimIsSeenAtOnce() }
    func testRacingClaimsHaveOneWinner() throws { try racingClaimsHaveOneWinner() }

    /// Beside the database, owner-only, never synced; its holds survive a reopen (not a crash: not promised).
    func testTheFileIsBesideTheDatabaseOwnerOnlyAndUnsynced() throws {
        let fixture = try HoldsFixture(backend)
        let holds = try XCTUnwrap(fixture.holds as? SQLiteHolds)
        XCTAssertEqual(holds.path, fixture.stores.directory + "/holds.sqlite")
        XCTAssertEqual(SQLiteHolds.path(besideDatabase: "/var/lib/psyx/psyx.sqlite3"), "/var/lib/psyx/holds.sqlite")
        XCTAssertTrue(try holds.claim(packID: 1, no: "kept", token: Self.tokenA, seconds: 60))
        for file in [holds.path, holds.path + "-wal", holds.path + "-generations"] {
            let mode = try XCTUnwrap(try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int)
            XCTAssertEqual(mode & 0o077, 0, file)
        }
        let db = try SQLiteDatabase(path: holds.path, mode: .readWrite)
        XCTAssertEqual(try db.text("PRAGMA journal_mode"), "wal")
        XCTAssertEqual(try db.int64("PRAGMA user_version"), SQLiteHolds.schemaVersion)
        XCTAssertEqual(try db.text("SELECT token FROM holds WHERE no_folded = 'kept'"), Self.tokenA)
        let reopened = try SQLiteHolds(path: holds.path)
        XCTAssertTrue(try reopened.isHeld(packID: 1, no: "KEPT"))
        XCTAssertFalse(try reopened.claim(packID: 1, no: "kept", token: Self.tokenB, seconds: 60))
        XCTAssertFalse(try fixture.stores.text("SELECT count(*) FROM sqlite_master WHERE name = 'holds'") != "0",
                       "holds are not in the experiment's database")
    }

    /// A file of another schema version is emptied and made again: holds are never migrated.
    func testAFileOfAnotherVersionIsMadeAgain() throws {
        let directory = NSTemporaryDirectory() + "psyx-holds-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/holds.sqlite"
        let old = try SQLiteDatabase(path: path)
        try old.exec("CREATE TABLE holds (x); PRAGMA user_version = 99;")
        let holds = try SQLiteHolds(path: path)
        XCTAssertTrue(try holds.claim(packID: 1, no: "n", token: Self.tokenA, seconds: 60))
        XCTAssertEqual(try holds.count(), 1)
    }

    /// Ended holds go, a bounded number per sweep; live ones stay.
    func testTheSweepTakesEndedHoldsOnly() throws {
        let fixture = try HoldsFixture(backend)
        let holds = try XCTUnwrap(fixture.holds as? SQLiteHolds)
        for index in 0..<(SQLiteHolds.sweepLimit + 10) {
            XCTAssertTrue(try holds.claim(packID: 1, no: "short\(index)", token: Self.tokenA, seconds: 2))
        }
        XCTAssertTrue(try holds.claim(packID: 1, no: "long", token: Self.tokenA, seconds: 60))
        usleep(2_100_000)
        try holds.sweep(before: SQLiteHolds.now())
        XCTAssertEqual(try holds.count(), 11)
        try holds.sweep(before: SQLiteHolds.now())
        XCTAssertEqual(try holds.count(), 1)
        XCTAssertTrue(try holds.isHeld(packID: 1, no: "long"))
    }
}
