import Foundation
import XCTest
@testable import Psyx

/// The experiment store's behaviour, written once and run on every backend (`SQLiteStoreTests`,
/// `PostgreSQLStoreTests`), each on a real database: packs here, replies, the list's cache and
/// schema rules in the other `StoreScenarios+` files.
protocol StoreScenarios {
    var backend: StoreBackend { get }
}

extension StoreScenarios {
    func createAndListWithCounts() throws {
        let fixture = try makeFixture()
        let store = fixture.store
        XCTAssertEqual(try store.packSummaries(), [])
        let female = try store.createPack(newPack("female20s", sex: 2, 20, 29), beforeCommit: {})
        let male = try store.createPack(newPack("male20s", sex: 1, 20, 29), beforeCommit: {})
        XCTAssertLessThan(female, male)

        var list = try store.packSummaries()
        XCTAssertEqual(list.map(\.id), [female, male])
        XCTAssertEqual(list.map(\.name), ["female20s", "male20s"])
        XCTAssertEqual(list.map(\.replyCount), [0, 0])
        XCTAssertEqual(list[0].sex, 2)
        XCTAssertEqual(list[0].ageMin, 20)
        XCTAssertEqual(list[0].ageMax, 29)
        XCTAssertTrue(isISODate(list[0].date), list[0].date)

        XCTAssertEqual(try store.insertReply(reply(pack: male, no: "1")), .inserted(1))
        XCTAssertEqual(try store.insertReply(reply(pack: male, no: "2")), .inserted(2))
        XCTAssertEqual(try store.insertReply(reply(pack: female, no: "1")), .inserted(3))
        list = try store.packSummaries()
        XCTAssertEqual(list.map(\.replyCount), [1, 2])
        XCTAssertEqual(try store.replyCount(packID: male), 2)
        XCTAssertEqual(try store.replyCount(packID: 999), 0)
        XCTAssertEqual(try store.packNames(), ["female20s", "male20s"])
    }

    func packKeepsPairsOrderedByNumber() throws {
        let store = try makeFixture().store
        let pairs = [3, 1, 2].map { PackPair(number: $0, ori: "f_0000\($0)_ori.jpg", inv: "f_0000\($0)_inv.jpg") }
        let id = try store.createPack(NewPack(name: "p", sex: 1, ageMin: 0, ageMax: 120, pairs: pairs), beforeCommit: {})
        let pack = try XCTUnwrap(try store.pack(id: id))
        XCTAssertEqual(pack.pairs.map(\.number), [1, 2, 3])
        XCTAssertEqual(pack.pairs[0], PackPair(number: 1, ori: "f_00001_ori.jpg", inv: "f_00001_inv.jpg"))
        XCTAssertEqual(pack.name, "p")
        XCTAssertEqual(pack.ageMax, 120)
        XCTAssertNil(try store.pack(id: id + 1))
    }

    /// A full-size pack (300 pairs) with names that need quoting in any SQL: stored and read back whole.
    func fullPackRoundTrips() throws {
        let store = try makeFixture().store
        let pairs = (1...300).map { number in
            PackPair(number: number, ori: String(format: "a'b\"c,{d} %05d_ori.jpg", number), inv: String(format: "é\\%05d_inv.JPG", number))
        }
        let id = try store.createPack(NewPack(name: "full", sex: 2, ageMin: 18, ageMax: 99, pairs: pairs), beforeCommit: {})
        XCTAssertEqual(try store.pack(id: id)?.pairs, pairs)
        XCTAssertEqual(try store.suitablePack(sex: 2, age: 40)?.pairs.count, 300)
    }

    func takenNameIsRefused() throws {
        let store = try makeFixture().store
        _ = try store.createPack(newPack("taken", sex: 1, 20, 29), beforeCommit: {})
        XCTAssertThrowsError(try store.createPack(newPack("taken", sex: 2, 50, 60), beforeCommit: {})) {
            XCTAssertEqual($0 as? StoreError, .packNameTaken)
        }
        XCTAssertEqual(try store.packSummaries().count, 1)
    }

    func overlapRule() throws {
        let store = try makeFixture().store
        _ = try store.createPack(newPack("base", sex: 2, 20, 29), beforeCommit: {})
        let overlapping: [(Int, Int)] = [(29, 40), (10, 20), (20, 29), (25, 26), (0, 120), (15, 22), (28, 35)]
        for (index, range) in overlapping.enumerated() {
            XCTAssertThrowsError(
                try store.createPack(newPack("o\(index)", sex: 2, range.0, range.1), beforeCommit: {}),
                "\(range) should overlap [20, 29]"
            ) { error in
                guard case .conditionOverlap(let other) = error as? StoreError else { return XCTFail("\(error)") }
                XCTAssertEqual(other.name, "base")
            }
        }
        XCTAssertEqual(try store.packSummaries().count, 1)
        _ = try store.createPack(newPack("above", sex: 2, 30, 39), beforeCommit: {})
        _ = try store.createPack(newPack("below", sex: 2, 0, 19), beforeCommit: {})
        _ = try store.createPack(newPack("other_sex", sex: 1, 20, 29), beforeCommit: {})
        XCTAssertEqual(try store.packNames(), ["base", "above", "below", "other_sex"])
    }

    func nameIsCheckedBeforeCondition() throws {
        let store = try makeFixture().store
        _ = try store.createPack(newPack("base", sex: 2, 20, 29), beforeCommit: {})
        XCTAssertThrowsError(try store.createPack(newPack("base", sex: 2, 20, 29), beforeCommit: {})) {
            XCTAssertEqual($0 as? StoreError, .packNameTaken)
        }
    }

    func suitablePackBounds() throws {
        let store = try makeFixture().store
        let twenties = try store.createPack(newPack("f20", sex: 2, 20, 29), beforeCommit: {})
        let thirties = try store.createPack(newPack("f30", sex: 2, 30, 39), beforeCommit: {})
        XCTAssertNil(try store.suitablePack(sex: 2, age: 19))
        XCTAssertEqual(try store.suitablePack(sex: 2, age: 20)?.id, twenties)
        XCTAssertEqual(try store.suitablePack(sex: 2, age: 29)?.id, twenties)
        XCTAssertEqual(try store.suitablePack(sex: 2, age: 30)?.id, thirties)
        XCTAssertEqual(try store.suitablePack(sex: 2, age: 39)?.id, thirties)
        XCTAssertNil(try store.suitablePack(sex: 2, age: 40))
        XCTAssertNil(try store.suitablePack(sex: 1, age: 25))
        XCTAssertEqual(try store.suitablePack(sex: 2, age: 25)?.pairs.count, 2)
    }

    func beforeCommitThrowingRollsBack() throws {
        let fixture = try makeFixture()
        let store = fixture.store
        var calls = 0
        XCTAssertThrowsError(try store.createPack(newPack("staged", sex: 1, 20, 29)) {
            calls += 1
            throw ScenarioError(name: "rename failed")
        }) { XCTAssertEqual($0 as? ScenarioError, ScenarioError(name: "rename failed")) }
        XCTAssertEqual(calls, 1)
        XCTAssertEqual(try store.packSummaries(), [])
        XCTAssertEqual(try fixture.count("pack_pairs"), 0)
        XCTAssertNil(try store.suitablePack(sex: 1, age: 25))
        // Neither the name nor the condition is left taken.
        let id = try store.createPack(newPack("staged", sex: 1, 20, 29), beforeCommit: {})
        XCTAssertEqual(try store.suitablePack(sex: 1, age: 25)?.id, id)
    }

    /// `suitablePack` answers from memory once asked; pack writes must never leave it stale.
    func rememberedChoiceFollowsCreateAndRemove() throws {
        let store = try makeFixture().store
        XCTAssertNil(try store.suitablePack(sex: 1, age: 25), "remembered: none fits")
        var seenDuringCreate: Pack??
        let first = try store.createPack(newPack("a", sex: 1, 20, 29)) {
            seenDuringCreate = .some(try store.suitablePack(sex: 1, age: 25))  // before the commit
        }
        XCTAssertEqual(seenDuringCreate, .some(nil))
        XCTAssertEqual(try store.suitablePack(sex: 1, age: 25)?.id, first, "asked again after the commit")
        XCTAssertEqual(try store.suitablePack(sex: 1, age: 25)?.id, first, "remembered")
        XCTAssertNotNil(try store.removePack(id: first))
        XCTAssertNil(try store.suitablePack(sex: 1, age: 25), "the removed pack is forgotten")
        let second = try store.createPack(newPack("b", sex: 1, 25, 25), beforeCommit: {})
        XCTAssertEqual(try store.suitablePack(sex: 1, age: 25)?.id, second)
        XCTAssertNil(try store.suitablePack(sex: 1, age: 26))
    }

    func uncommittedPackIsInvisibleToReaders() throws {
        let store = try makeFixture().store
        var visibleToReaders: [PackSummary]?
        _ = try store.createPack(newPack("p", sex: 1, 20, 29)) {
            visibleToReaders = try store.packSummaries()  // a reader: the row is not committed yet
        }
        XCTAssertEqual(visibleToReaders, [])
        XCTAssertEqual(try store.packSummaries().count, 1)
    }

    func removeCascadesToRepliesAndPairs() throws {
        let fixture = try makeFixture()
        let store = fixture.store
        let kept = try store.createPack(newPack("kept", sex: 1, 20, 29), beforeCommit: {})
        let gone = try store.createPack(newPack("gone", sex: 2, 20, 29), beforeCommit: {})
        for no in ["a", "b", "c"] {
            _ = try store.insertReply(reply(pack: gone, no: no))
        }
        _ = try store.insertReply(reply(pack: kept, no: "a"))
        XCTAssertNotNil(try store.pack(id: gone))  // now cached

        var seenInside: PackSummary?
        let removed = try XCTUnwrap(try store.removePack(id: gone) { seenInside = $0 })
        XCTAssertEqual(seenInside, removed, "beforeCommit sees the pack being removed")
        XCTAssertEqual(removed.name, "gone")
        XCTAssertEqual(removed.replyCount, 3)
        XCTAssertNil(try store.pack(id: gone))
        XCTAssertNil(try store.suitablePack(sex: 2, age: 25))
        XCTAssertFalse(try store.hasReply(packID: gone, participantNo: "a"))
        XCTAssertEqual(try fixture.count("replies"), 1)
        XCTAssertEqual(try fixture.count("pack_pairs"), 2)
        XCTAssertEqual(try store.packSummaries().map(\.id), [kept])
        var called = false
        XCTAssertNil(try store.removePack(id: gone) { _ in called = true })
        XCTAssertFalse(called, "beforeCommit is not called for an unknown pack")
        XCTAssertNil(try store.removePack(id: 12345))
        XCTAssertEqual(try store.insertReply(reply(pack: gone, no: "d")), .unknownPack)
    }

    /// A failing `beforeCommit` of a removal leaves the pack, its pairs and its replies.
    func removeBeforeCommitThrowingKeepsEverything() throws {
        let fixture = try makeFixture()
        let store = fixture.store
        let id = try store.createPack(newPack("kept", sex: 1, 20, 29), beforeCommit: {})
        _ = try store.insertReply(reply(pack: id, no: "a"))
        XCTAssertThrowsError(try store.removePack(id: id) { _ in throw ScenarioError(name: "move failed") }) {
            XCTAssertEqual($0 as? ScenarioError, ScenarioError(name: "move failed"))
        }
        XCTAssertEqual(try store.packSummaries().map(\.replyCount), [1])
        XCTAssertEqual(try fixture.count("pack_pairs"), 2)
        XCTAssertTrue(try store.hasReply(packID: id, participantNo: "a"))
        XCTAssertEqual(try store.suitablePack(sex: 1, age: 22)?.id, id)
    }

    func packIDsAreNotReused() throws {
        let store = try makeFixture().store
        let first = try store.createPack(newPack("a", sex: 1, 20, 29), beforeCommit: {})
        _ = try store.removePack(id: first)
        let second = try store.createPack(newPack("a", sex: 1, 20, 29), beforeCommit: {})
        XCTAssertGreaterThan(second, first)
    }

    // MARK: Helpers

    /// A fixture kept until the test ends (a store holds no reference to its schema or folder).
    func makeFixture(connections: Int = 4) throws -> StoreFixture {
        let fixture = try StoreFixture(backend, connections: connections)
        (self as? XCTestCase)?.addTeardownBlock { withExtendedLifetime(fixture) {} }
        return fixture
    }

    func newPack(_ name: String, sex: Int, _ ageMin: Int, _ ageMax: Int) -> NewPack {
        let pairs = (1...2).map { PackPair(number: $0, ori: "x_0000\($0)_ori.jpg", inv: "x_0000\($0)_inv.jpg") }
        return NewPack(name: name, sex: sex, ageMin: ageMin, ageMax: ageMax, pairs: pairs)
    }

    func reply(pack: Int64, no: String, submissionID: String? = nil, answers: String = "[]",
               layout: AnswerLayout = .leftRight) -> NewReply {
        NewReply(packID: pack, name: "홍길동", email: "a@b.kr", no: no, sex: 1, age: 25,
                 phone: "010-1234-5678", answers: answers, layout: layout, submissionID: submissionID)
    }

    func isISODate(_ text: String) -> Bool {
        text.range(of: #"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$"#, options: .regularExpression) != nil
    }
}
