import Foundation
import XCTest
@testable import Psyx

/// The SQLite store on real temporary database files: packs, replies, durability settings.
final class SQLiteStoreTests: XCTestCase {
    var directory = ""
    var path: String { directory + "/psyx.sqlite3" }

    override func setUpWithError() throws {
        directory = try makeTemporaryDirectory()
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: directory)
    }

    // MARK: Packs

    func testCreateAndListWithCounts() throws {
        let store = try SQLiteStore(path: path)
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

    func testPackKeepsPairsOrderedByNumber() throws {
        let store = try SQLiteStore(path: path)
        let pairs = [3, 1, 2].map { PackPair(number: $0, ori: "f_0000\($0)_ori.jpg", inv: "f_0000\($0)_inv.jpg") }
        let id = try store.createPack(NewPack(name: "p", sex: 1, ageMin: 0, ageMax: 120, pairs: pairs), beforeCommit: {})
        let pack = try XCTUnwrap(try store.pack(id: id))
        XCTAssertEqual(pack.pairs.map(\.number), [1, 2, 3])
        XCTAssertEqual(pack.pairs[0], PackPair(number: 1, ori: "f_00001_ori.jpg", inv: "f_00001_inv.jpg"))
        XCTAssertEqual(pack.name, "p")
        XCTAssertEqual(pack.ageMax, 120)
        XCTAssertNil(try store.pack(id: id + 1))
    }

    func testTakenNameIsRefused() throws {
        let store = try SQLiteStore(path: path)
        _ = try store.createPack(newPack("taken", sex: 1, 20, 29), beforeCommit: {})
        XCTAssertThrowsError(try store.createPack(newPack("taken", sex: 2, 50, 60), beforeCommit: {})) {
            XCTAssertEqual($0 as? StoreError, .packNameTaken)
        }
        XCTAssertEqual(try store.packSummaries().count, 1)
    }

    func testOverlapRule() throws {
        let store = try SQLiteStore(path: path)
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

    func testNameIsCheckedBeforeCondition() throws {
        let store = try SQLiteStore(path: path)
        _ = try store.createPack(newPack("base", sex: 2, 20, 29), beforeCommit: {})
        XCTAssertThrowsError(try store.createPack(newPack("base", sex: 2, 20, 29), beforeCommit: {})) {
            XCTAssertEqual($0 as? StoreError, .packNameTaken)
        }
    }

    func testSuitablePackBounds() throws {
        let store = try SQLiteStore(path: path)
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

    func testBeforeCommitThrowingRollsBack() throws {
        struct RenameFailed: Error, Equatable {}
        let store = try SQLiteStore(path: path)
        var calls = 0
        XCTAssertThrowsError(try store.createPack(newPack("staged", sex: 1, 20, 29)) {
            calls += 1
            throw RenameFailed()
        }) { XCTAssertEqual($0 as? RenameFailed, RenameFailed()) }
        XCTAssertEqual(calls, 1)
        XCTAssertEqual(try store.packSummaries(), [])
        XCTAssertEqual(try count("pack_pairs", in: store), 0)
        XCTAssertNil(try store.suitablePack(sex: 1, age: 25))
        // Neither the name nor the condition is left taken.
        let id = try store.createPack(newPack("staged", sex: 1, 20, 29), beforeCommit: {})
        XCTAssertEqual(try store.suitablePack(sex: 1, age: 25)?.id, id)
    }

    /// `suitablePack` answers from memory once asked; pack writes must never leave it stale.
    func testRememberedChoiceFollowsCreateAndRemove() throws {
        let store = try SQLiteStore(path: path)
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

    func testUncommittedPackIsInvisibleToReaders() throws {
        let store = try SQLiteStore(path: path)
        var visibleToReaders: [PackSummary]?
        _ = try store.createPack(newPack("p", sex: 1, 20, 29)) {
            visibleToReaders = try store.packSummaries()  // a reader: the row is not committed yet
        }
        XCTAssertEqual(visibleToReaders, [])
        XCTAssertEqual(try store.packSummaries().count, 1)
    }

    func testRemoveCascadesToRepliesAndPairs() throws {
        let store = try SQLiteStore(path: path)
        let kept = try store.createPack(newPack("kept", sex: 1, 20, 29), beforeCommit: {})
        let gone = try store.createPack(newPack("gone", sex: 2, 20, 29), beforeCommit: {})
        for no in ["a", "b", "c"] {
            _ = try store.insertReply(reply(pack: gone, no: no))
        }
        _ = try store.insertReply(reply(pack: kept, no: "a"))
        XCTAssertNotNil(try store.pack(id: gone))  // now cached

        let removed = try XCTUnwrap(try store.removePack(id: gone))
        XCTAssertEqual(removed.name, "gone")
        XCTAssertEqual(removed.replyCount, 3)
        XCTAssertNil(try store.pack(id: gone))
        XCTAssertNil(try store.suitablePack(sex: 2, age: 25))
        XCTAssertFalse(try store.hasReply(packID: gone, participantNo: "a"))
        XCTAssertEqual(try count("replies", in: store), 1)
        XCTAssertEqual(try count("pack_pairs", in: store), 2)
        XCTAssertEqual(try store.packSummaries().map(\.id), [kept])
        XCTAssertNil(try store.removePack(id: gone))
        XCTAssertNil(try store.removePack(id: 12345))
        XCTAssertEqual(try store.insertReply(reply(pack: gone, no: "d")), .unknownPack)
    }

    func testPackIDsAreNotReused() throws {
        let store = try SQLiteStore(path: path)
        let first = try store.createPack(newPack("a", sex: 1, 20, 29), beforeCommit: {})
        _ = try store.removePack(id: first)
        let second = try store.createPack(newPack("a", sex: 1, 20, 29), beforeCommit: {})
        XCTAssertGreaterThan(second, first)
    }

    // MARK: Helpers

    func newPack(_ name: String, sex: Int, _ ageMin: Int, _ ageMax: Int) -> NewPack {
        let pairs = (1...2).map { PackPair(number: $0, ori: "x_0000\($0)_ori.jpg", inv: "x_0000\($0)_inv.jpg") }
        return NewPack(name: name, sex: sex, ageMin: ageMin, ageMax: ageMax, pairs: pairs)
    }

    func reply(pack: Int64, no: String, submissionID: String? = nil, answers: String = "[]",
               layout: AnswerLayout = .leftRight) -> NewReply {
        NewReply(packID: pack, name: "홍길동", email: "a@b.kr", no: no, sex: 1, age: 25,
                 phone: "010-1234-5678", answers: answers, layout: layout, submissionID: submissionID)
    }

    func count(_ table: String, in store: SQLiteStore) throws -> Int64 {
        try store.withReader { db in try db.int64("SELECT count(*) FROM \(table)") ?? -1 }
    }

    func isISODate(_ text: String) -> Bool {
        text.range(of: #"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$"#, options: .regularExpression) != nil
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
