import Foundation
import XCTest
@testable import Psyx

/// Open and closed packs (schema version 4): start's choice follows at once, a closed pack blocks
/// no new pack, and reopening one that overlaps an open pack is refused — by psyx and by the file.
extension SQLiteStoreTests {
    func testAClosedPackIsNeverChosenAndOpeningItAgainIsSeenAtOnce() throws {
        let store = try SQLiteStore(path: path)
        let pack = try store.createPack(newPack("p", sex: 1, 20, 29), beforeCommit: {})
        XCTAssertEqual(try store.suitablePack(sex: 1, age: 25)?.id, pack, "now remembered")
        XCTAssertEqual(try store.setPackOpen(id: pack, open: false)?.open, false)
        XCTAssertNil(try store.suitablePack(sex: 1, age: 25), "the remembered choice followed the close")
        XCTAssertEqual(try store.packSummaries().map(\.open), [false])
        XCTAssertNotNil(try store.pack(id: pack), "submit still finds the pack")
        XCTAssertEqual(try store.insertReply(reply(pack: pack, no: "started")), .inserted(1), "one who started may submit")
        XCTAssertEqual(try store.setPackOpen(id: pack, open: false)?.open, false, "closing again changes nothing")
        XCTAssertEqual(try store.setPackOpen(id: pack, open: true)?.open, true)
        XCTAssertEqual(try store.suitablePack(sex: 1, age: 25)?.id, pack)
        XCTAssertEqual(try store.packSummaries().map(\.open), [true])
        XCTAssertNil(try store.setPackOpen(id: 999, open: false))
        // The state is in the file: a new store (another responder) reads it.
        _ = try store.setPackOpen(id: pack, open: false)
        XCTAssertNil(try SQLiteStore(path: path).suitablePack(sex: 1, age: 25))
    }

    /// A researcher closes a pack to put a new one for the same people in its place.
    func testAClosedPackBlocksNoNewPackAndReopeningAnOverlapIsRefused() throws {
        let store = try SQLiteStore(path: path)
        let old = try store.createPack(newPack("old", sex: 1, 20, 29), beforeCommit: {})
        XCTAssertThrowsError(try store.createPack(newPack("new", sex: 1, 25, 35), beforeCommit: {}))
        _ = try store.setPackOpen(id: old, open: false)
        let new = try store.createPack(newPack("new", sex: 1, 25, 35), beforeCommit: {})
        XCTAssertEqual(try store.suitablePack(sex: 1, age: 27)?.id, new)
        XCTAssertNil(try store.suitablePack(sex: 1, age: 22), "only the closed pack held 22")
        XCTAssertThrowsError(try store.setPackOpen(id: old, open: true)) { error in
            XCTAssertEqual((error as? StoreError).map { if case .conditionOverlap(let other) = $0 { other.name } else { "" } }, "new")
        }
        XCTAssertEqual(try store.packSummaries().map(\.open), [false, true], "the refused open changed nothing")
        XCTAssertNil(try store.suitablePack(sex: 1, age: 22))
        _ = try store.setPackOpen(id: new, open: false)
        XCTAssertEqual(try store.setPackOpen(id: old, open: true)?.open, true)
        XCTAssertEqual(try store.suitablePack(sex: 1, age: 27)?.id, old)
        XCTAssertThrowsError(try store.createPack(newPack("third", sex: 1, 29, 40), beforeCommit: {}), "old is open again")
        let other = try store.createPack(newPack("women", sex: 2, 20, 29), beforeCommit: {})
        XCTAssertEqual(try store.setPackOpen(id: other, open: true)?.open, true, "another sex never overlaps")
    }

    /// The rule holds for any writer of the file (a shell, another responder), not only for psyx.
    func testTheDatabaseRefusesOverlappingOpenPacks() throws {
        let store = try SQLiteStore(path: path)
        let open = try store.createPack(newPack("a", sex: 1, 20, 29), beforeCommit: {})
        let db = try SQLiteDatabase(path: path)
        let insert = "INSERT INTO packs (pack_name, sex, age_min, age_max, date, open) VALUES"
        for sql in ["\(insert) ('b', 1, 29, 40, 'now', 1)", "INSERT INTO packs (pack_name, sex, age_min, age_max, date) VALUES ('b', 1, 10, 20, 'now')"] {
            XCTAssertThrowsError(try db.exec(sql), sql) { XCTAssertTrue(($0 as? SQLiteError)?.isConstraint == true, "\($0)") }
        }
        try db.exec("\(insert) ('closed', 1, 25, 35, 'now', 0)")
        XCTAssertNoThrow(try db.exec("UPDATE packs SET age_max = 30 WHERE pack_name = 'a'"), "a closed pack blocks nothing")
        for sql in ["UPDATE packs SET open = 1 WHERE pack_name = 'closed'", "UPDATE packs SET open = 2 WHERE p_id = \(open)"] {
            XCTAssertThrowsError(try db.exec(sql), sql) { XCTAssertTrue(($0 as? SQLiteError)?.isConstraint == true, "\($0)") }
        }
        XCTAssertEqual(try store.packSummaries().map(\.open), [true, false])
    }
}
