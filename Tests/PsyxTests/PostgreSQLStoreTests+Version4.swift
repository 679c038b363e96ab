import Foundation
import PsyxTestSupport
import XCTest
@testable import Psyx

/// PostgreSQL schema version 4 (SQLite's 5) on a database written by version 3: packs and replies
/// kept with the defaults, and a settings change made by a hand-written UPDATE reaches a responder
/// through the change feed (the notification counts a settings change as a pack change).
extension PostgreSQLStoreTests {
    func testVersion4KeepsEveryPackAndReplyWithDefaults() throws {
        let schema = try PostgreSQLTestSchema()
        let db = try schema.connect()
        try PostgreSQLMigrations.run(on: db, steps: Array(PostgreSQLMigrations.steps.prefix(3)))
        XCTAssertEqual(try PostgreSQLMigrations.version(on: db), 3)
        try db.executeScript("""
            INSERT INTO packs (pack_name, sex, age_min, age_max, date) VALUES ('p', 1, 20, 29, '2026-01-01T00:00:00Z');
            INSERT INTO pack_pairs SELECT p_id, 1, 'x_00001_ori.jpg', 'x_00001_inv.jpg' FROM packs;
            INSERT INTO replies (p_id, name, email, no, sex, age, phone, date, answers, submission_id, no_folded)
                SELECT p_id, 'a', 'a@b.kr', 'S1', 1, 25, '', '2026-01-02T00:00:00Z', '[]', 'old-id-0001', 's1' FROM packs;
            """)
        let store = try PostgreSQLStore(connection: schema.info)
        XCTAssertEqual(try store.schemaVersion(), PostgreSQLMigrations.steps.count, "from 3 up through 4 (and any later step)")
        XCTAssertEqual(try store.packSummaries().map(\.settings), [.default])
        var replies: [ReplyRecord] = []
        let id = try XCTUnwrap(try store.pack(named: "p")?.id)
        try store.forEachReply(packID: id) { replies.append($0) }
        XCTAssertEqual(replies.map(\.no), ["S1"])
        XCTAssertEqual(replies.map(\.recruitment), ["{}"])
        XCTAssertEqual(replies.map(\.input), ["keys"])
        XCTAssertEqual(replies.map(\.consentVersion), [nil])
        XCTAssertEqual(try store.submittedReply(submissionID: "old-id-0001")?.packID, id)

        XCTAssertEqual(try store.pack(id: id)?.settings.consent, "", "cached")
        try db.execute(#"UPDATE packs SET settings = '{"consent":"By hand."}'"#)
        XCTAssertTrue(Wait.until(timeout: 10) { (try? store.pack(id: id))??.settings.consent == "By hand." },
                      "a settings change by another writer empties the responder's pack cache")
    }
}
