import Foundation
import XCTest
@testable import Psyx

/// Open and closed packs in the file itself (schema version 4): the rule holds for any writer.
extension SQLiteStoreTests {
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
