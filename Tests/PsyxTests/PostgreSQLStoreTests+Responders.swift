import Foundation
import Synchronization
import XCTest
@testable import Psyx

/// Several responders on one server: two stores with pools of their own, as two machines would have,
/// writing the same things at the same moment. The database decides; neither process's memory does.
extension PostgreSQLStoreTests {
    /// Runs `first` and `second` on two threads released at the same instant; their results in order.
    func atOnce<T: Sendable>(_ first: @escaping @Sendable () throws -> T,
                             _ second: @escaping @Sendable () throws -> T) throws -> (Result<T, any Error>, Result<T, any Error>) {
        let results = Mutex<[Int: Result<T, any Error>]>([:])
        let ready = DispatchGroup()
        let go = DispatchSemaphore(value: 0)
        let done = DispatchGroup()
        for (index, body) in [first, second].enumerated() {
            ready.enter()
            done.enter()
            Thread {
                ready.leave()
                go.wait()
                let result = Result { try body() }
                results.withLock { $0[index] = result }
                done.leave()
            }.start()
        }
        ready.wait()
        go.signal()
        go.signal()
        XCTAssertEqual(done.wait(timeout: .now() + 60), .success)
        let both = results.withLock { $0 }
        return (try XCTUnwrap(both[0]), try XCTUnwrap(both[1]))
    }

    /// A fixture, its store, another store on the same database, and a pack.
    func twoResponders() throws -> (StoreFixture, any ExperimentStore, any ExperimentStore, Int64) {
        let fixture = try makeFixture()
        let pack = try fixture.store.createPack(newPack("p", sex: 1, 20, 29), beforeCommit: {})
        return (fixture, fixture.store, try fixture.openStore(), pack)
    }

    func testTwoRespondersSubmittingTheSameParticipantStoreOneReply() throws {
        let (fixture, store, other, pack) = try twoResponders()
        for round in 0..<25 {
            let first = reply(pack: pack, no: "R\(round)", submissionID: "first-\(round)")
            let second = reply(pack: pack, no: "r\(round)", submissionID: "second-\(round)")
            let (a, b) = try atOnce({ try store.insertReply(first) }, { try other.insertReply(second) })
            let outcomes = [try a.get(), try b.get()]
            XCTAssertEqual(outcomes.filter { if case .inserted = $0 { true } else { false } }.count, 1, "round \(round): \(outcomes)")
            XCTAssertTrue(outcomes.contains(.alreadyParticipated), "round \(round): \(outcomes)")
        }
        XCTAssertEqual(try fixture.count("replies"), 25)
        XCTAssertEqual(try store.replyCount(packID: pack), 25)
    }

    func testTwoRespondersSendingTheSameSubmissionIDStoreItOnce() throws {
        let (fixture, store, other, pack) = try twoResponders()
        for round in 0..<25 {
            let retry = reply(pack: pack, no: "n\(round)", submissionID: "retry-\(round)")
            let (a, b) = try atOnce({ try store.insertReply(retry) }, { try other.insertReply(retry) })
            let outcomes = [try a.get(), try b.get()]
            guard let id = outcomes.lazy.compactMap({ if case .inserted(let id) = $0 { id } else { nil } }).first else {
                return XCTFail("round \(round): nothing inserted: \(outcomes)")
            }
            XCTAssertTrue(outcomes.contains(.alreadyStored(id)), "round \(round): \(outcomes)")
        }
        XCTAssertEqual(try fixture.count("replies"), 25)
    }

    /// Overlapping packs created at once (a slow folder move widens the window): one commits, the
    /// other is told which pack is in its way — never both.
    func testTwoRespondersCreatingOverlappingPacksNeverBothSucceed() throws {
        let fixture = try makeFixture()
        let other = try fixture.openStore()
        let store = fixture.store
        for round in 0..<12 {
            let low = 10 * round
            let left = newPack("l\(round)", sex: 2, low, low + 5)
            let right = newPack("r\(round)", sex: 2, low + 5, low + 9)
            let (a, b) = try atOnce({ try store.createPack(left) { usleep(20_000) } },
                                    { try other.createPack(right) { usleep(20_000) } })
            let created = [a, b].compactMap { try? $0.get() }
            XCTAssertEqual(created.count, 1, "round \(round): \(a) \(b)")
            let refusal = [a, b].compactMap { result -> StoreError? in
                if case .failure(let error) = result { error as? StoreError } else { nil }
            }
            guard case .conditionOverlap(let winner)? = refusal.first else { return XCTFail("round \(round): \(refusal)") }
            XCTAssertEqual(winner.id, created.first, "the refusal names the pack that won")
        }
        let packs = try store.packSummaries()
        XCTAssertEqual(packs.count, 12)
        for (index, pack) in packs.enumerated() {
            for later in packs[(index + 1)...] {
                XCTAssertTrue(pack.ageMax < later.ageMin || later.ageMax < pack.ageMin, "\(pack) overlaps \(later)")
            }
        }
    }

    func testTwoRespondersCreatingTheSameNameNeverBothSucceed() throws {
        let fixture = try makeFixture()
        let other = try fixture.openStore()
        let store = fixture.store
        let male = newPack("same", sex: 1, 20, 29), female = newPack("same", sex: 2, 20, 29)
        let (a, b) = try atOnce({ try store.createPack(male) { usleep(20_000) } },
                                { try other.createPack(female) { usleep(20_000) } })
        XCTAssertEqual([a, b].compactMap { try? $0.get() }.count, 1)
        XCTAssertEqual([a, b].compactMap { result -> StoreError? in
            if case .failure(let error) = result { error as? StoreError } else { nil }
        }, [.packNameTaken])
    }

    /// What one responder commits reaches the other's caches (pack choice, packs, who replied).
    func testAnotherRespondersCommitsReachThisOnesCaches() throws {
        let fixture = try makeFixture()
        let store = fixture.store
        let other = try fixture.openStore()
        XCTAssertNil(try store.suitablePack(sex: 1, age: 25), "remembered: none fits")
        let id = try other.createPack(newPack("a", sex: 1, 20, 29), beforeCommit: {})
        XCTAssertTrue(try fixture.soon { try store.suitablePack(sex: 1, age: 25)?.id == id }, "the new pack is chosen")

        XCTAssertFalse(try store.hasReply(packID: id, participantNo: "S1"), "the numbers are loaded")
        XCTAssertEqual(try other.insertReply(reply(pack: id, no: "s1")), .inserted(1))
        XCTAssertTrue(try fixture.soon { try store.hasReply(packID: id, participantNo: "S1") }, "the other's reply is known")

        XCTAssertNotNil(try store.pack(id: id))
        XCTAssertNotNil(try other.removePack(id: id))
        XCTAssertTrue(try fixture.soon { try store.pack(id: id) == nil && store.suitablePack(sex: 1, age: 25) == nil }, "the removal is known")
        XCTAssertFalse(try store.hasReply(packID: id, participantNo: "S1"))
        XCTAssertEqual(try store.insertReply(reply(pack: id, no: "s2")), .unknownPack)
    }

    /// A pack removed by one responder while the other stores replies to it: each reply is stored
    /// before the removal (and goes with it) or refused as an unknown pack; no reply outlives its pack.
    func testARemovalRacingSubmitsLeavesNoReplyBehind() throws {
        let fixture = try makeFixture(connections: 8)
        let store = fixture.store
        let other = try fixture.openStore()
        let pack = try store.createPack(newPack("p", sex: 1, 20, 29), beforeCommit: {})
        let outcomes = Mutex<[ReplyInsertOutcome]>([])
        let failures = Mutex<[String]>([])
        let replies = (0..<8).map { thread in (0..<25).map { reply(pack: pack, no: "t\(thread)i\($0)") } }
        let (_, removal) = try atOnce({ () -> PackSummary? in
            DispatchQueue.concurrentPerform(iterations: 8) { thread in
                for index in 0..<25 {
                    do {
                        let outcome = try store.insertReply(replies[thread][index])
                        outcomes.withLock { $0.append(outcome) }
                    } catch {
                        failures.withLock { $0.append("\(error)") }
                    }
                }
            }
            return nil
        }, { () -> PackSummary? in
            usleep(5_000)
            return try other.removePack(id: pack)
        })
        XCTAssertEqual(failures.withLock { $0 }, [])
        XCTAssertNotNil(try removal.get())
        XCTAssertTrue(outcomes.withLock { $0 }.allSatisfy { if case .inserted = $0 { true } else { $0 == .unknownPack } })
        XCTAssertEqual(outcomes.withLock { $0 }.count, 200)
        XCTAssertEqual(try fixture.count("replies"), 0)
    }

    /// Batches of two responders inserting into the same packs in opposite orders do not deadlock.
    func testCrossedBatchesDoNotDeadlock() throws {
        let fixture = try makeFixture()
        let store = try XCTUnwrap(fixture.store as? PostgreSQLStore)
        let other = try XCTUnwrap(try fixture.openStore() as? PostgreSQLStore)
        let first = try store.createPack(newPack("a", sex: 1, 20, 29), beforeCommit: {})
        let second = try store.createPack(newPack("b", sex: 2, 20, 29), beforeCommit: {})
        for round in 0..<20 {
            let forward = [reply(pack: first, no: "f\(round)"), reply(pack: second, no: "f\(round)")]
            let backward = [reply(pack: second, no: "b\(round)"), reply(pack: first, no: "b\(round)")]
            let (a, b) = try atOnce({ try store.commitReplies(forward).map { try $0.get() } },
                                    { try other.commitReplies(backward).map { try $0.get() } })
            for outcomes in [try a.get(), try b.get()] {
                XCTAssertTrue(outcomes.allSatisfy { if case .inserted = $0 { true } else { false } }, "round \(round): \(outcomes)")
            }
        }
        XCTAssertEqual(try store.replyCount(packID: first), 40)
        XCTAssertEqual(try store.replyCount(packID: second), 40)
    }
}
