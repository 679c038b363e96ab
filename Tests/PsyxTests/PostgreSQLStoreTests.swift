import Foundation
import PsyxTestSupport
import XCTest
@testable import Psyx

/// `StoreScenarios` on the test PostgreSQL server (`PSYX_TEST_POSTGRES`), each test in a schema of its
/// own, plus what only a server shared by several responders has (`+Responders`, `+Outage`).
final class PostgreSQLStoreTests: XCTestCase, StoreScenarios {
    let backend = StoreBackend.postgresql

    // Packs
    func testCreateAndListWithCounts() throws { try createAndListWithCounts() }
    func testPackKeepsPairsOrderedByNumber() throws { try packKeepsPairsOrderedByNumber() }
    func testFullPackRoundTrips() throws { try fullPackRoundTrips() }
    func testTakenNameIsRefused() throws { try takenNameIsRefused() }
    func testOverlapRule() throws { try overlapRule() }
    func testNameIsCheckedBeforeCondition() throws { try nameIsCheckedBeforeCondition() }
    func testSuitablePackBounds() throws { try suitablePackBounds() }
    func testBeforeCommitThrowingRollsBack() throws { try beforeCommitThrowingRollsBack() }
    func testRememberedChoiceFollowsCreateAndRemove() throws { try rememberedChoiceFollowsCreateAndRemove() }
    func testUncommittedPackIsInvisibleToReaders() throws { try uncommittedPackIsInvisibleToReaders() }
    func testRemoveCascadesToRepliesAndPairs() throws { try removeCascadesToRepliesAndPairs() }
    func testRemoveBeforeCommitThrowingKeepsEverything() throws { try removeBeforeCommitThrowingKeepsEverything() }
    func testPackIDsAreNotReused() throws { try packIDsAreNotReused() }
    // Replies
    func testSubmissionIDMakesARetrySafe() throws { try submissionIDMakesARetrySafe() }
    func testParticipantIndexFollowsTheStoredReplies() throws { try participantIndexFollowsTheStoredReplies() }
    func testSecondReplyBySameParticipantIsRefused() throws { try secondReplyBySameParticipantIsRefused() }
    func testReplyToUnknownPack() throws { try replyToUnknownPack() }
    func testBatchKeepsGoodRepliesBesideRefusedOnes() throws { try batchKeepsGoodRepliesBesideRefusedOnes() }
    func testRepliesStreamInIDOrderAndRoundTrip() throws { try repliesStreamInIDOrderAndRoundTrip() }
    func testManyRepliesStreamWhole() throws { try manyRepliesStreamWhole() }
    func testStreamingStopsWhenTheCallbackThrows() throws { try streamingStopsWhenTheCallbackThrows() }
    func testStreamingNeitherBlocksWritersNorOtherReads() throws { try streamingNeitherBlocksWritersNorOtherReads() }
    func testConcurrentInsertsAreAllStoredOnce() throws { try concurrentInsertsAreAllStoredOnce() }
    func testRepliesAreCaseBlindPerPack() throws { try repliesAreCaseBlindPerPack() }
    func testTheDatabaseEnforcesLayoutAndFoldedNumbers() throws { try theDatabaseEnforcesLayoutAndFoldedNumbers() }
    // Open and closed packs, withdrawal
    func testSettingsRoundTripThroughEveryRead() throws { try settingsRoundTripThroughEveryRead() }
    func testSettingsChangeIsSeenAtOnceAndFrozenOnceRepliesExist() throws { try settingsChangeIsSeenAtOnceAndFrozenOnceRepliesExist() }
    func testRepliesKeepRecruitmentConsentAndInput() throws { try repliesKeepRecruitmentConsentAndInput() }
    func testAClosedPackIsNeverChosenAndOpeningItAgainIsSeenAtOnce() throws { try aClosedPackIsNeverChosenAndOpeningItAgainIsSeenAtOnce() }
    func testAClosedPackBlocksNoNewPackAndReopeningAnOverlapIsRefused() throws { try aClosedPackBlocksNoNewPackAndReopeningAnOverlapIsRefused() }
    func testWithdrawingOneReplyCountsItAndItsIDIsNeverGivenAgain() throws { try withdrawingOneReplyCountsItAndItsIDIsNeverGivenAgain() }
    func testWithdrawingANumberTakesItsRepliesInEveryPackWhateverTheCase() throws { try withdrawingANumberTakesItsRepliesInEveryPackWhateverTheCase() }
    func testAWithdrawalRefusedInsideItsTransactionDeletesNothing() throws { try aWithdrawalRefusedInsideItsTransactionDeletesNothing() }
    // The list
    func testReusedListIsIdenticalAndDoesNotRender() throws { try reusedListIsIdenticalAndDoesNotRender() }
    func testListIsTodaysRendering() throws { try listIsTodaysRendering() }
    func testCreateSubmitAndRemoveThroughTheStoreRefreshTheList() throws { try createSubmitAndRemoveThroughTheStoreRefreshTheList() }
    func testFailedWriteThroughTheStoreStillServesTheSameList() throws { try failedWriteThroughTheStoreStillServesTheSameList() }
    func testWriteBySeparateConnectionRefreshesTheList() throws { try writeBySeparateConnectionRefreshesTheList() }
    func testDataVersionMovesOnlyOnCommits() throws { try dataVersionMovesOnlyOnCommits() }

    // MARK: Only on PostgreSQL

    /// PostgreSQL text cannot hold a NUL: the reply is refused whole, never stored cut short.
    func testEmbeddedNULIsRefusedNotCut() throws {
        let fixture = try makeFixture()
        let pack = try fixture.store.createPack(newPack("p", sex: 1, 20, 29), beforeCommit: {})
        var odd = reply(pack: pack, no: "z9")
        odd.name += "\u{0}tail"
        XCTAssertThrowsError(try fixture.store.insertReply(odd)) {
            guard case .failure(let message)? = $0 as? StoreError else { return XCTFail("\($0)") }
            XCTAssertTrue(message.contains("NUL"), message)
        }
        XCTAssertEqual(try fixture.count("replies"), 0)
        XCTAssertEqual(try fixture.store.insertReply(reply(pack: pack, no: "z9")), .inserted(1), "the participant may still reply")
    }

    /// Every transaction is committed durably, whatever the session's or role's default says.
    func testTransactionsCommitSynchronouslyWhateverTheDefault() throws {
        let fixture = try makeFixture()
        let store = try XCTUnwrap(fixture.store as? PostgreSQLStore)
        let inside = try store.pool.withConnection { db in
            try db.execute("SET synchronous_commit TO off")
            defer { _ = try? db.execute("RESET synchronous_commit") }
            return try db.transaction(.readCommitted) { db in try db.execute("SHOW synchronous_commit").first?.text(0) }
        }
        XCTAssertEqual(inside, "on")
    }

    func testReopeningKeepsDataAndSchemaVersion() throws {
        let fixture = try makeFixture()
        let packID = try fixture.store.createPack(newPack("p", sex: 1, 20, 29), beforeCommit: {})
        _ = try fixture.store.insertReply(reply(pack: packID, no: "n", submissionID: "keep-me-1"))
        let reopened = try XCTUnwrap(try fixture.openStore() as? PostgreSQLStore)
        XCTAssertEqual(try reopened.schemaVersion(), PostgreSQLMigrations.steps.count)
        XCTAssertEqual(try reopened.packSummaries().map(\.replyCount), [1])
        XCTAssertEqual(try reopened.pack(id: packID)?.pairs.count, 2)
        XCTAssertEqual(try reopened.insertReply(reply(pack: packID, no: "n", submissionID: "keep-me-1")), .alreadyStored(1))
    }

    func testNewerSchemaIsRefused() throws {
        let fixture = try makeFixture()
        try fixture.execute("UPDATE psyx_schema SET version = version + 1")
        XCTAssertThrowsError(try fixture.openStore()) {
            guard case .failure(let message)? = $0 as? StoreError else { return XCTFail("\($0)") }
            XCTAssertTrue(message.contains("newer than this psyx understands"), message)
        }
    }

    /// Another process: `psql`, as a researcher or a bulk import would write.
    func testWriteByPsqlRefreshesTheList() throws {
        let (fixture, routes) = try listFixture()
        _ = try fixture.store.createPack(listPack("a", sex: 2), beforeCommit: {})
        XCTAssertEqual(try summaries(routes).map(\.name), ["a"])
        let schema = try XCTUnwrap(fixture.schema)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/psql")
        process.arguments = ["--no-psqlrc", "--quiet", "--set=ON_ERROR_STOP=1", try TestPostgreSQL.connectionString(), "-c",
                             "INSERT INTO \(schema.name).packs (pack_name, sex, age_min, age_max, date) VALUES ('bulk', 1, 0, 9, '2026-01-01T00:00:00Z')"]
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self))
        XCTAssertTrue(try fixture.soon { try summaries(routes).map(\.name) == ["a", "bulk"] }, "as its notification arrives")
        XCTAssertEqual(routes.listAnswer.renders, 2)
    }

    /// The overlap constraint needs no extension; answers are compressed with lz4 (Debian's server has it).
    func testSchemaNeedsNoExtensionAndCompressesAnswersWithLZ4() throws {
        let fixture = try makeFixture()
        XCTAssertEqual(try fixture.text("SELECT count(*) FROM pg_extension WHERE extname = 'btree_gist'"), "0")
        XCTAssertThrowsError(try fixture.execute(
            "INSERT INTO packs (pack_name, sex, age_min, age_max, date) VALUES ('x', 1, 30, 20, '2026-01-01T00:00:00Z')")) {
            XCTAssertTrue(fixture.isConstraintViolation($0), "\($0)")
        }
        XCTAssertEqual(try fixture.text("SELECT attcompression FROM pg_attribute WHERE attrelid = 'replies'::regclass AND attname = 'answers'"), "l")
    }

    /// The reply insert finds the pack's participant and the submission id by index, not by reading
    /// the pack's replies (the folded number compared in the index's collation): regression of a
    /// plan that scanned every reply and made submits 4x slower at 8,000 replies.
    func testTheReplyInsertUsesTheIndexes() throws {
        let fixture = try makeFixture()
        let pack = try fixture.store.createPack(newPack("p", sex: 1, 20, 29), beforeCommit: {})
        try fixture.execute("""
            INSERT INTO replies (p_id, name, email, no, sex, age, phone, date, answers, no_folded, submission_id)
            SELECT \(pack), 'n', 'e', 'n' || i, 1, 25, '', 'd', '[]', 'n' || i, 's-' || i FROM generate_series(1, 5000) i
            """)
        try fixture.execute("ANALYZE replies")
        let db = try XCTUnwrap(fixture.schema).connect()
        let plan = try db.execute("EXPLAIN " + PostgreSQLStore.insertSQL,
                                  PostgreSQLStore.insertParameters(reply(pack: pack, no: "N77", submissionID: "s-77")))
            .rows.map { try $0.text(0) }.joined(separator: "\n")
        XCTAssertFalse(plan.contains("Seq Scan on replies"), plan)
        XCTAssertTrue(plan.contains("replies_submission_id_key") && plan.contains("Index Cond: (no_folded = 'n77'::text)"), plan)
    }

    /// The data version moves with this store's commits at once, with another writer's as its
    /// notification arrives, and is nil (nothing reused) when the feed cannot hear.
    func testDataVersionFollowsEveryWriter() throws {
        let fixture = try makeFixture()
        let store = try XCTUnwrap(fixture.store as? PostgreSQLStore)
        let other = try fixture.openStore()
        let start = try XCTUnwrap(try store.dataVersion())
        _ = try other.createPack(newPack("a", sex: 1, 20, 29), beforeCommit: {})
        XCTAssertTrue(try fixture.soon { try store.dataVersion() != start }, "another responder's create")
        let afterOther = try store.dataVersion()
        _ = try store.createPack(newPack("b", sex: 2, 20, 29), beforeCommit: {})
        XCTAssertNotEqual(try store.dataVersion(), afterOther, "this store's own create, at once")
        store.changes.stop()
        XCTAssertNil(try store.dataVersion(), "a feed that cannot hear tells nothing")
    }
}
