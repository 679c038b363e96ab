import Foundation
import XCTest
@testable import Psyx

/// Schema version 3: each reply's answer layout, and one reply per participant number and pack
/// whatever the letter case — kept by the database itself, on a file written by version 2 too.
extension SQLiteStoreTests {
    /// A version-2 file as psyx wrote it: two packs, replies, a case duplicate (`S1`, `s1`) in pack 1.
    private func writeVersion2File() throws {
        let db = try SQLiteDatabase(path: path)
        try Migrations.run(on: db, steps: Array(Migrations.steps.prefix(2)))
        try db.exec(
            """
            INSERT INTO packs (p_id, pack_name, sex, age_min, age_max, date) VALUES
                (1, 'p', 1, 20, 29, '2026-01-01T00:00:00Z'), (2, 'q', 2, 20, 29, '2026-01-01T00:00:00Z');
            INSERT INTO pack_pairs VALUES (1, 1, 'x_00001_ori.jpg', 'x_00001_inv.jpg'), (2, 1, 'x_00001_ori.jpg', 'x_00001_inv.jpg');
            INSERT INTO replies (p_id, name, email, no, sex, age, phone, date, answers, submission_id) VALUES
                (1, 'a', 'a@b.kr', 'S1', 1, 25, '', '2026-01-02T00:00:00Z', '[["F",0.5,"x_00001_ori.jpg","x_00001_inv.jpg"]]', NULL),
                (1, 'b', 'a@b.kr', 'n2', 1, 25, '', '2026-01-02T00:00:00Z', '[]', 'old-id-0001'),
                (1, 'c', 'a@b.kr', 's1', 1, 25, '', '2026-01-03T00:00:00Z', '[["J",0.5,"x_00001_ori.jpg","x_00001_inv.jpg"]]', NULL),
                (2, 'd', 'a@b.kr', 's1', 2, 25, '', '2026-01-03T00:00:00Z', '[]', NULL);
            """)
        XCTAssertEqual(try db.int64("PRAGMA user_version"), 2)
    }

    func testVersion3KeepsEveryStoredReplyAndItsMeaning() throws {
        try writeVersion2File()
        let store = try SQLiteStore(path: path)
        XCTAssertEqual(try store.schemaVersion(), Migrations.latestVersion)
        var replies: [ReplyRecord] = []
        try store.forEachReply(packID: 1) { replies.append($0) }
        XCTAssertEqual(replies.map(\.no), ["S1", "n2", "s1"], "the case duplicate is kept")
        XCTAssertEqual(replies.map(\.layout), [.leftRight, .leftRight, .leftRight], "read as before: [key, rt, left, right]")
        XCTAssertEqual(replies[0].answers, #"[["F",0.5,"x_00001_ori.jpg","x_00001_inv.jpg"]]"#)
        let folded = try store.withReader { db in
            try db.text("SELECT group_concat(ifnull(no_folded, '-'), ' ') FROM (SELECT no_folded FROM replies ORDER BY r_id)")
        }
        XCTAssertEqual(folded, "s1 n2 - s1", "the first of a case group holds the folded number")
        XCTAssertEqual(try store.packSummaries().map(\.replyCount), [3, 1])

        // From now on the number is one participant in any case, for either pack.
        for no in ["S1", "s1"] {
            XCTAssertTrue(try store.hasReply(packID: 1, participantNo: no))
            XCTAssertEqual(try store.insertReply(reply(pack: 1, no: no)), .alreadyParticipated)
            XCTAssertEqual(try store.insertReply(reply(pack: 2, no: no)), .alreadyParticipated)
        }
        XCTAssertEqual(try store.insertReply(reply(pack: 1, no: "N2")), .alreadyParticipated)
        XCTAssertEqual(try store.insertReply(reply(pack: 1, no: "n2", submissionID: "old-id-0001")), .alreadyStored(2))
        XCTAssertEqual(try store.insertReply(reply(pack: 1, no: "n3", submissionID: "old-id-0001")), .submissionIDTaken)
        XCTAssertEqual(try store.insertReply(reply(pack: 1, no: "n3", layout: .rightLeft)), .inserted(5))
        XCTAssertEqual(try count("replies", in: store), 5)
    }

    /// Version 4 on a file from before: every pack open, nothing deleted yet, and a withdrawal by
    /// number takes the case duplicates kept from version 2 too (their `no_folded` is NULL).
    func testVersion4OpensEveryPackAndWithdrawsKeptCaseDuplicates() throws {
        try writeVersion2File()
        let store = try SQLiteStore(path: path)
        XCTAssertEqual(try store.packSummaries().map(\.open), [true, true])
        XCTAssertEqual(try store.replyState(packID: 1), ReplyState(count: 3, deleted: 0))
        let withdrawn = try store.withdrawReplies(.participant(no: "s1")) { _ in }
        XCTAssertEqual(withdrawn, Withdrawal(parts: [.init(packID: 1, packName: "p", count: 2), .init(packID: 2, packName: "q", count: 1)]))
        XCTAssertEqual(try store.packSummaries().map(\.replyCount), [1, 0])
        XCTAssertEqual(try store.replyState(packID: 1), ReplyState(count: 1, deleted: 2))
    }

    func testRepliesAreCaseBlindPerPack() throws {
        let store = try SQLiteStore(path: path)
        let pack = try store.createPack(newPack("p", sex: 1, 20, 29), beforeCommit: {})
        let other = try store.createPack(newPack("q", sex: 2, 20, 29), beforeCommit: {})
        XCTAssertEqual(try store.insertReply(reply(pack: pack, no: "S123")), .inserted(1))
        XCTAssertTrue(try store.hasReply(packID: pack, participantNo: "s123"))
        XCTAssertEqual(try store.insertReply(reply(pack: pack, no: "s123")), .alreadyParticipated)
        XCTAssertEqual(try store.insertReply(reply(pack: pack, no: "S123")), .alreadyParticipated)
        XCTAssertEqual(try store.insertReply(reply(pack: other, no: "s123")), .inserted(2), "another pack")
        XCTAssertTrue(try store.hasReply(packID: other, participantNo: "S123"))
        // A fresh store loads the numbers from the file and compares them folded too.
        let reopened = try SQLiteStore(path: path)
        XCTAssertTrue(try reopened.hasReply(packID: pack, participantNo: "s123"))
        XCTAssertFalse(try reopened.hasReply(packID: pack, participantNo: "s1234"))
    }

    /// The rules hold for any writer of the file (a shell, another responder), not only for psyx.
    func testTheDatabaseEnforcesLayoutAndFoldedNumbers() throws {
        let store = try SQLiteStore(path: path)
        let pack = try store.createPack(newPack("p", sex: 1, 20, 29), beforeCommit: {})
        XCTAssertEqual(try store.insertReply(reply(pack: pack, no: "s9")), .inserted(1))
        let db = try SQLiteDatabase(path: path)
        let columns = "p_id, name, email, no, sex, age, phone, date, answers"
        let values = "\(pack), 'n', 'e@x.kr', 'S9', 1, 25, '', '2026-01-01T00:00:00Z', '[]'"
        let refused = [
            "INSERT INTO replies (\(columns)) VALUES (\(values))",  // no folded number
            "INSERT INTO replies (\(columns), no_folded) VALUES (\(values), 'S9')",  // not lower(no)
            "INSERT INTO replies (\(columns), no_folded) VALUES (\(values), 's9')",  // s9 has replied
            "INSERT INTO replies (\(columns), no_folded, layout) VALUES (\(values.replacingOccurrences(of: "S9", with: "t1")), 't1', 'left')",
        ]
        for sql in refused {
            XCTAssertThrowsError(try db.exec(sql), sql) { error in
                XCTAssertTrue((error as? SQLiteError)?.isConstraint == true, "\(error)")
            }
        }
        try db.exec("INSERT INTO replies (\(columns), no_folded) VALUES (\(values.replacingOccurrences(of: "S9", with: "T1")), 't1')")
        XCTAssertEqual(try db.text("SELECT layout FROM replies WHERE no = 'T1'"), "key,rt,left,right")
        XCTAssertEqual(try count("replies", in: store), 2)
    }
}
