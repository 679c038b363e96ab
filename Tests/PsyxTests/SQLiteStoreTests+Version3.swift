import Foundation
import XCTest
@testable import Psyx

/// Schema version 3 on a file written by version 2: each reply's answer layout, and one reply per
/// participant number and pack whatever the letter case (the rules themselves: `StoreScenarios`).
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

    /// Version 5 on a file from before: every pack has the default settings (today's behaviour),
    /// every reply no recruitment IDs, no consent and keys; both can be changed from then on.
    func testVersion5KeepsEveryPackAndReplyWithDefaults() throws {
        try writeVersion2File()
        let db = try SQLiteDatabase(path: path)
        try Migrations.run(on: db, steps: Array(Migrations.steps.prefix(4)))
        XCTAssertEqual(try db.int64("PRAGMA user_version"), 4)
        let store = try SQLiteStore(path: path)
        XCTAssertEqual(try store.schemaVersion(), Migrations.latestVersion)
        XCTAssertEqual(try store.packSummaries().map(\.settings), [.default, .default])
        XCTAssertEqual(try store.pack(named: "q")?.settings, .default)
        var replies: [ReplyRecord] = []
        try store.forEachReply(packID: 1) { replies.append($0) }
        XCTAssertEqual(replies.map(\.no), ["S1", "n2", "s1"])
        XCTAssertEqual(Set(replies.map(\.recruitment)), ["{}"])
        XCTAssertEqual(Set(replies.map(\.input)), ["keys"])
        XCTAssertEqual(replies.compactMap(\.consentedAt), [])
        XCTAssertEqual(try store.submittedReply(submissionID: "old-id-0001")?.packID, 1)
        var change = PackSettingsChange()
        change.consent = "Consent."
        XCTAssertEqual(try store.setPackSettings(id: 2, change)?.settings.consent, "Consent.", "consent may change with replies")
        change.touch = true
        XCTAssertThrowsError(try store.setPackSettings(id: 2, change)) { XCTAssertEqual($0 as? StoreError, .packHasReplies) }
    }
}
