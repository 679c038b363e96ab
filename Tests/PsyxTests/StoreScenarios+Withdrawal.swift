import Foundation
import XCTest
@testable import Psyx

/// Withdrawal: one transaction, counts kept by the trigger, the participant index following, and
/// an r_id never given twice.
extension StoreScenarios {
    func withdrawingOneReplyCountsItAndItsIDIsNeverGivenAgain() throws {
        let fixture = try makeFixture()
        let store = fixture.store
        let pack = try store.createPack(newPack("p", sex: 1, 20, 29), beforeCommit: {})
        for no in ["a1", "b2", "c3"] { _ = try store.insertReply(reply(pack: pack, no: no)) }
        XCTAssertTrue(try store.hasReply(packID: pack, participantNo: "C3"), "the index is loaded")
        XCTAssertEqual(try store.replies(matching: .reply(id: 3)), Withdrawal(parts: [.init(packID: pack, packName: "p", count: 1)]))
        var shown: Withdrawal?
        let done = try store.withdrawReplies(.reply(id: 3)) { shown = $0 }
        XCTAssertEqual(done.count, 1)
        XCTAssertEqual(shown, done)
        XCTAssertEqual(try store.replyCount(packID: pack), 2)
        XCTAssertEqual(try store.replyState(packID: pack), ReplyState(count: 2, deleted: 1))
        XCTAssertFalse(try store.hasReply(packID: pack, participantNo: "c3"), "the index followed")
        XCTAssertEqual(try store.insertReply(reply(pack: pack, no: "c3")), .inserted(4), "3 was the highest and stays unused")
        XCTAssertEqual(try store.replyState(packID: pack), ReplyState(count: 3, deleted: 1))
        XCTAssertEqual(try store.withdrawReplies(.reply(id: 3)) { _ in XCTFail("nothing to delete") }, Withdrawal(parts: []))
        XCTAssertEqual(try store.replies(matching: .reply(id: 3)).count, 0)
        var ids: [Int64] = []
        try store.forEachReply(packID: pack) { ids.append($0.id) }
        XCTAssertEqual(ids, [1, 2, 4])
    }

    func withdrawingANumberTakesItsRepliesInEveryPackWhateverTheCase() throws {
        let fixture = try makeFixture()
        let store = fixture.store
        let women = try store.createPack(newPack("women", sex: 2, 20, 29), beforeCommit: {})
        let men = try store.createPack(newPack("men", sex: 1, 20, 29), beforeCommit: {})
        _ = try store.insertReply(reply(pack: women, no: "S1"))
        _ = try store.insertReply(reply(pack: women, no: "t2"))
        _ = try store.insertReply(reply(pack: men, no: "s1"))
        let expected = Withdrawal(parts: [.init(packID: women, packName: "women", count: 1), .init(packID: men, packName: "men", count: 1)])
        XCTAssertEqual(try store.replies(matching: .participant(no: "s1")), expected)
        XCTAssertEqual(try store.withdrawReplies(.participant(no: "S1")) { _ in }, expected)
        XCTAssertEqual(try store.packSummaries().map(\.replyCount), [1, 0])
        var left: [String] = []
        try store.forEachReply(packID: women) { left.append($0.no) }
        XCTAssertEqual(left, ["t2"])
        XCTAssertEqual(try store.insertReply(reply(pack: men, no: "S1")), .inserted(4), "the number may reply again")
    }

    func aWithdrawalRefusedInsideItsTransactionDeletesNothing() throws {
        let fixture = try makeFixture()
        let store = fixture.store
        let pack = try store.createPack(newPack("p", sex: 1, 20, 29), beforeCommit: {})
        _ = try store.insertReply(reply(pack: pack, no: "a1"))
        XCTAssertThrowsError(try store.withdrawReplies(.participant(no: "a1")) { _ in throw APIError.badRequest("no") }) {
            XCTAssertEqual($0 as? APIError, .badRequest("no"))
        }
        XCTAssertEqual(try store.replyState(packID: pack), ReplyState(count: 1, deleted: 0))
        XCTAssertTrue(try store.hasReply(packID: pack, participantNo: "a1"))
        XCTAssertEqual(try fixture.count("replies"), 1)
    }
}
