import Foundation
import XCTest
@testable import Psyx

/// Withdrawal in the file itself (schema version 4): an r_id never given twice, whoever writes.
extension SQLiteStoreTests {
    /// Any writer of the file: an r_id at or under the highest deleted one is refused.
    func testTheDatabaseRefusesAGivenAgainReplyID() throws {
        let store = try SQLiteStore(path: path)
        let pack = try store.createPack(newPack("p", sex: 1, 20, 29), beforeCommit: {})
        _ = try store.insertReply(reply(pack: pack, no: "a1"))
        _ = try store.insertReply(reply(pack: pack, no: "b2"))
        _ = try store.withdrawReplies(.reply(id: 2)) { _ in }
        let db = try SQLiteDatabase(path: path)
        let columns = "p_id, name, email, no, sex, age, phone, date, answers, no_folded"
        let values = "\(pack), 'n', 'e@x.kr', 'c3', 1, 25, '', '2026-01-01T00:00:00Z', '[]', 'c3'"
        for sql in ["INSERT INTO replies (\(columns)) VALUES (\(values))", "INSERT INTO replies (r_id, \(columns)) VALUES (2, \(values))"] {
            XCTAssertThrowsError(try db.exec(sql), sql) { XCTAssertTrue(($0 as? SQLiteError)?.isConstraint == true, "\($0)") }
        }
        try db.exec("INSERT INTO replies (r_id, \(columns)) VALUES (3, \(values))")
        XCTAssertEqual(try store.replyState(packID: pack), ReplyState(count: 2, deleted: 1))
        // Removing a pack deletes its replies: their ids are not given again either.
        _ = try store.removePack(id: pack)
        let next = try store.createPack(newPack("q", sex: 1, 20, 29), beforeCommit: {})
        XCTAssertEqual(try store.insertReply(reply(pack: next, no: "a1")), .inserted(4))
    }
}
