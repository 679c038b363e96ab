import Foundation
import XCTest
@testable import Psyx

/// `StoreScenarios` on real temporary SQLite files, plus what only the file has: permissions,
/// durability settings, SQLite's migrations (`+Files`, `+Version3`), text with a NUL character.
final class SQLiteStoreTests: XCTestCase, StoreScenarios {
    let backend = StoreBackend.sqlite
    var directory = ""
    var path: String { directory + "/psyx.sqlite3" }

    override func setUpWithError() throws {
        directory = try makeTemporaryDirectory()
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: directory)
    }

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

    /// SQLite keeps text with a NUL character whole (PostgreSQL refuses it: `PostgreSQLStoreTests`).
    func testEmbeddedNULIsStoredWhole() throws {
        let store = try SQLiteStore(path: path)
        let pack = try store.createPack(newPack("p", sex: 1, 20, 29), beforeCommit: {})
        var odd = reply(pack: pack, no: "z9")
        odd.name += "\u{0}tail"
        XCTAssertEqual(try store.insertReply(odd), .inserted(1))
        var names: [String] = []
        try store.forEachReply(packID: pack) { names.append($0.name) }
        XCTAssertEqual(names, [odd.name])
    }

    // MARK: Helpers

    func count(_ table: String, in store: SQLiteStore) throws -> Int64 {
        try store.withReader { db in try db.int64("SELECT count(*) FROM \(table)") ?? -1 }
    }

    func makeTemporaryDirectory() throws -> String {
        var template = Array((NSTemporaryDirectory() + "/psyx-store-XXXXXX").utf8CString)
        let made = template.withUnsafeMutableBufferPointer { buffer in
            buffer.baseAddress.map { mkdtemp($0) } ?? nil
        }
        guard made != nil else { throw StoreError.failure("mkdtemp failed") }
        return String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
