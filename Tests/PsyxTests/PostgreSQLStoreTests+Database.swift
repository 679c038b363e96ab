import Foundation
import XCTest
@testable import Psyx

/// The rules of schema version 4 held by PostgreSQL itself, for any writer (psql, a script, another
/// responder): open packs do not overlap, a deleted reply's id is never given again.
extension PostgreSQLStoreTests {
    func testTheDatabaseRefusesOverlappingOpenPacks() throws {
        let fixture = try makeFixture()
        let open = try fixture.store.createPack(newPack("a", sex: 1, 20, 29), beforeCommit: {})
        let insert = "INSERT INTO packs (pack_name, sex, age_min, age_max, date, open) VALUES"
        for sql in ["\(insert) ('b', 1, 29, 40, 'now', true)", "INSERT INTO packs (pack_name, sex, age_min, age_max, date) VALUES ('b', 1, 10, 20, 'now')"] {
            XCTAssertThrowsError(try fixture.execute(sql), sql) { XCTAssertTrue(fixture.isConstraintViolation($0), "\($0)") }
        }
        try fixture.execute("\(insert) ('closed', 1, 25, 35, 'now', false)")
        XCTAssertNoThrow(try fixture.execute("UPDATE packs SET age_max = 30 WHERE pack_name = 'a'"), "a closed pack blocks nothing")
        XCTAssertThrowsError(try fixture.execute("UPDATE packs SET open = true WHERE pack_name = 'closed'")) {
            XCTAssertTrue(fixture.isConstraintViolation($0), "\($0)")
        }
        XCTAssertEqual(try fixture.store.packSummaries().map(\.open), [true, false])
        XCTAssertEqual(try fixture.store.packSummaries().first?.id, open)
    }

    /// PostgreSQL's identity never gives an id twice; a hand-written id at or under the highest
    /// deleted one is refused as in SQLite.
    func testTheDatabaseRefusesAGivenAgainReplyID() throws {
        let fixture = try makeFixture()
        let store = fixture.store
        let pack = try store.createPack(newPack("p", sex: 1, 20, 29), beforeCommit: {})
        _ = try store.insertReply(reply(pack: pack, no: "a1"))
        _ = try store.insertReply(reply(pack: pack, no: "b2"))
        _ = try store.withdrawReplies(.reply(id: 2)) { _ in }
        let columns = "p_id, name, email, no, sex, age, phone, date, answers, no_folded"
        let values = "\(pack), 'n', 'e@x.kr', 'c3', 1, 25, '', '2026-01-01T00:00:00Z', '[]', 'c3'"
        XCTAssertThrowsError(try fixture.execute("INSERT INTO replies (r_id, \(columns)) VALUES (2, \(values))")) {
            XCTAssertTrue(fixture.isConstraintViolation($0), "\($0)")
        }
        try fixture.execute("INSERT INTO replies (\(columns)) VALUES (\(values))")
        XCTAssertEqual(try fixture.text("SELECT r_id FROM replies WHERE no = 'c3'"), "3", "the identity goes on above it")
        XCTAssertEqual(try store.replyState(packID: pack), ReplyState(count: 2, deleted: 1))
        // Removing a pack deletes its replies: their ids are not given again either.
        _ = try store.removePack(id: pack)
        XCTAssertEqual(try fixture.text("SELECT high FROM reply_ids"), "3")
        let next = try store.createPack(newPack("q", sex: 1, 20, 29), beforeCommit: {})
        XCTAssertEqual(try store.insertReply(reply(pack: next, no: "a1")), .inserted(4))
    }

    /// Two responders opening overlapping closed packs at the same moment: one opens, the other is
    /// told which pack is in its way.
    func testTwoRespondersOpeningOverlappingPacksNeverBothSucceed() throws {
        let fixture = try makeFixture()
        let store = fixture.store
        let other = try fixture.openStore()
        for round in 0..<8 {
            let low = 10 * round
            let left = try store.createPack(newPack("l\(round)", sex: 2, low, low + 5), beforeCommit: {})
            _ = try store.setPackOpen(id: left, open: false)
            let right = try store.createPack(newPack("r\(round)", sex: 2, low + 5, low + 9), beforeCommit: {})
            _ = try store.setPackOpen(id: right, open: false)
            let (a, b) = try atOnce({ try store.setPackOpen(id: left, open: true)?.open ?? false },
                                    { try other.setPackOpen(id: right, open: true)?.open ?? false })
            XCTAssertEqual([a, b].compactMap { try? $0.get() }, [true], "round \(round): \(a) \(b)")
        }
        let open = try store.packSummaries().filter(\.open)
        XCTAssertEqual(open.count, 8)
    }
}
