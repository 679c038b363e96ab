import Foundation
import Synchronization
import XCTest
@testable import Psyx

/// Replies: idempotent submits, one reply per participant, batches, streaming, concurrency.
extension StoreScenarios {
    func submissionIDMakesARetrySafe() throws {
        let fixture = try makeFixture()
        let store = fixture.store
        let pack = try store.createPack(newPack("p", sex: 1, 20, 29), beforeCommit: {})
        let other = try store.createPack(newPack("q", sex: 2, 20, 29), beforeCommit: {})
        let first = try store.insertReply(reply(pack: pack, no: "n1", submissionID: "sub-0001"))
        guard case .inserted(let id) = first else { return XCTFail("\(first)") }
        XCTAssertEqual(try store.insertReply(reply(pack: pack, no: "n1", submissionID: "sub-0001")), .alreadyStored(id))
        XCTAssertEqual(try store.insertReply(reply(pack: pack, no: "N1", submissionID: "sub-0001")), .alreadyStored(id),
                       "the same participant, the number in another case")
        // The id is global, and only this pack's and participant's retry may use it: any other reply
        // with it is refused, not acknowledged without being stored.
        XCTAssertEqual(try store.insertReply(reply(pack: other, no: "n1", submissionID: "sub-0001")), .submissionIDTaken)
        XCTAssertEqual(try store.insertReply(reply(pack: pack, no: "n2", submissionID: "sub-0001")), .submissionIDTaken)
        XCTAssertEqual(try store.insertReply(reply(pack: other, no: "n2", submissionID: "sub-0001")), .submissionIDTaken)
        XCTAssertFalse(try store.hasReply(packID: other, participantNo: "n2"), "a refused reply is not a participation")
        XCTAssertEqual(try fixture.count("replies"), 1)
        XCTAssertEqual(try store.replyCount(packID: pack), 1)
        XCTAssertEqual(try store.replyCount(packID: other), 0)
    }

    /// `hasReply` answers from memory once a pack's numbers are loaded: replies stored before a
    /// restart, replies added meanwhile (also while the set loads), and a removed pack.
    func participantIndexFollowsTheStoredReplies() throws {
        let fixture = try makeFixture()
        let pack = try fixture.store.createPack(newPack("p", sex: 1, 20, 29), beforeCommit: {})
        XCTAssertEqual(try fixture.store.insertReply(reply(pack: pack, no: "before")), .inserted(1))
        let store = try fixture.openStore(connections: 8)
        XCTAssertTrue(try store.hasReply(packID: pack, participantNo: "before"), "loaded from the database")
        XCTAssertFalse(try store.hasReply(packID: pack, participantNo: "later"))
        let replies = (0..<8).map { worker in (0..<25).map { reply(pack: pack, no: "w\(worker)n\($0)") } }
        DispatchQueue.concurrentPerform(iterations: 8) { worker in
            for index in 0..<25 {
                if worker % 2 == 0 {
                    _ = try? store.insertReply(replies[worker][index])
                } else {
                    _ = try? store.hasReply(packID: pack, participantNo: "w0n\(index)")
                }
            }
        }
        for worker in stride(from: 0, to: 8, by: 2) {
            for index in 0..<25 {
                XCTAssertTrue(try store.hasReply(packID: pack, participantNo: "w\(worker)n\(index)"), "w\(worker)n\(index)")
            }
        }
        XCTAssertEqual(try store.replyCount(packID: pack), 101)
        XCTAssertNotNil(try store.removePack(id: pack))
        XCTAssertFalse(try store.hasReply(packID: pack, participantNo: "before"), "the removed pack's replies are gone")
    }

    func secondReplyBySameParticipantIsRefused() throws {
        let store = try makeFixture().store
        let pack = try store.createPack(newPack("p", sex: 1, 20, 29), beforeCommit: {})
        let other = try store.createPack(newPack("q", sex: 2, 20, 29), beforeCommit: {})
        XCTAssertFalse(try store.hasReply(packID: pack, participantNo: "2020123456"))
        XCTAssertEqual(try store.insertReply(reply(pack: pack, no: "2020123456", submissionID: "a-000001")), .inserted(1))
        XCTAssertTrue(try store.hasReply(packID: pack, participantNo: "2020123456"))
        XCTAssertEqual(try store.insertReply(reply(pack: pack, no: "2020123456", submissionID: "b-000002")),
                       .alreadyParticipated)
        XCTAssertEqual(try store.insertReply(reply(pack: pack, no: "2020123456")), .alreadyParticipated)
        XCTAssertFalse(try store.hasReply(packID: other, participantNo: "2020123456"))
        XCTAssertEqual(try store.insertReply(reply(pack: other, no: "2020123456")), .inserted(2))
        XCTAssertEqual(try store.replyCount(packID: pack), 1)
    }

    func replyToUnknownPack() throws {
        let fixture = try makeFixture()
        XCTAssertEqual(try fixture.store.insertReply(reply(pack: 42, no: "n")), .unknownPack)
        XCTAssertEqual(try fixture.count("replies"), 0)
    }

    /// One transaction with good and refused replies: each gets its own outcome, the good ones stay.
    func batchKeepsGoodRepliesBesideRefusedOnes() throws {
        let fixture = try makeFixture()
        let pack = try fixture.store.createPack(newPack("p", sex: 1, 20, 29), beforeCommit: {})
        let results = fixture.commitReplies([
            reply(pack: pack, no: "a"),
            reply(pack: pack, no: "a"),
            reply(pack: 999, no: "b"),
            reply(pack: pack, no: "c", submissionID: "same-id-1"),
            reply(pack: pack, no: "d", submissionID: "same-id-1"),
        ])
        XCTAssertEqual(results.map { try? $0.get() },
                       [.inserted(1), .alreadyParticipated, .unknownPack, .inserted(2), .submissionIDTaken])
        XCTAssertEqual(try fixture.count("replies"), 2)
        XCTAssertEqual(try fixture.store.replyCount(packID: pack), 2)
    }

    func repliesStreamInIDOrderAndRoundTrip() throws {
        let store = try makeFixture().store
        let pack = try store.createPack(newPack("p", sex: 1, 20, 29), beforeCommit: {})
        let other = try store.createPack(newPack("q", sex: 2, 20, 29), beforeCommit: {})
        let answers = #"[["F",0.512,"x_00002_inv.jpg","x_00002_ori.jpg"],[" ",3.0,"x_00001_ori.jpg","x_00001_inv.jpg"]]"#
        let odd = NewReply(packID: pack, name: "Zoë O'Brien-Kim \\ \"x\" 🙂", email: "zoe@example.org", no: "z9", sex: 2,
                           age: 120, phone: "", answers: answers, layout: .rightLeft, submissionID: "zoe-submission")
        for index in 0..<5 {
            _ = try store.insertReply(reply(pack: pack, no: "n\(index)"))
            _ = try store.insertReply(reply(pack: other, no: "n\(index)"))
        }
        guard case .inserted(let oddID) = try store.insertReply(odd) else { return XCTFail("not inserted") }

        var seen: [ReplyRecord] = []
        try store.forEachReply(packID: pack) { seen.append($0) }
        XCTAssertEqual(seen.count, 6)
        XCTAssertEqual(seen.map(\.id), seen.map(\.id).sorted())
        XCTAssertEqual(seen.map(\.no), ["n0", "n1", "n2", "n3", "n4", "z9"])
        XCTAssertTrue(seen.allSatisfy { $0.packID == pack })
        let last = try XCTUnwrap(seen.last)
        XCTAssertEqual(last, ReplyRecord(id: oddID, packID: pack, name: odd.name, email: odd.email, no: "z9", sex: 2,
                                         age: 120, phone: "", date: last.date, answers: answers, layout: .rightLeft))
        XCTAssertTrue(isISODate(last.date), last.date)
        XCTAssertEqual(seen[0].name, "홍길동")
        XCTAssertEqual(seen[0].layout, .leftRight)

        var none = 0
        try store.forEachReply(packID: 777) { _ in none += 1 }
        XCTAssertEqual(none, 0)
    }

    /// More replies than one fetch holds, streamed in order and whole.
    func manyRepliesStreamWhole() throws {
        let store = try makeFixture().store
        let pack = try store.createPack(newPack("p", sex: 1, 20, 29), beforeCommit: {})
        for index in 0..<300 { _ = try store.insertReply(reply(pack: pack, no: "m\(index)", answers: "[\(index)]")) }
        var answers: [String] = []
        try store.forEachReply(packID: pack) { answers.append($0.answers) }
        XCTAssertEqual(answers, (0..<300).map { "[\($0)]" })
    }

    func streamingStopsWhenTheCallbackThrows() throws {
        let store = try makeFixture().store
        let pack = try store.createPack(newPack("p", sex: 1, 20, 29), beforeCommit: {})
        for index in 0..<4 { _ = try store.insertReply(reply(pack: pack, no: "n\(index)")) }
        var calls = 0
        XCTAssertThrowsError(try store.forEachReply(packID: pack) { _ in
            calls += 1
            if calls == 2 { throw ScenarioError(name: "client gone") }
        }) { XCTAssertEqual($0 as? ScenarioError, ScenarioError(name: "client gone")) }
        XCTAssertEqual(calls, 2)
        // The statement was reset: the next stream starts over.
        var again = 0
        try store.forEachReply(packID: pack) { _ in again += 1 }
        XCTAssertEqual(again, 4)
    }

    /// A download does not hold the writer (inserts go on) nor keep other reads waiting.
    func streamingNeitherBlocksWritersNorOtherReads() throws {
        let store = try makeFixture(connections: 1).store
        let pack = try store.createPack(newPack("p", sex: 1, 20, 29), beforeCommit: {})
        for index in 0..<3 { _ = try store.insertReply(reply(pack: pack, no: "n\(index)")) }
        var streamed = 0
        try store.forEachReply(packID: pack) { _ in
            streamed += 1
            _ = try store.insertReply(reply(pack: pack, no: "during\(streamed)"))
            XCTAssertEqual(try store.replyCount(packID: pack), 3 + streamed)
        }
        XCTAssertEqual(streamed, 3, "the stream reads the snapshot it started with")
        XCTAssertEqual(try store.replyCount(packID: pack), 6)
    }

    /// 16 threads × 50 replies through the group-commit path: every reply stored exactly once.
    func concurrentInsertsAreAllStoredOnce() throws {
        let fixture = try makeFixture(connections: 8)
        let store = fixture.store
        let pack = try store.createPack(newPack("p", sex: 1, 20, 29), beforeCommit: {})
        let threads = 16, perThread = 50
        let outcomes = Mutex<[ReplyInsertOutcome]>([])
        let failures = Mutex<[String]>([])
        let group = DispatchGroup()
        for thread in 0..<threads {
            group.enter()
            Thread {
                for index in 0..<perThread {
                    let no = "t\(thread)i\(index)"
                    do {
                        let outcome = try store.insertReply(NewReply(
                            packID: pack, name: "name", email: "e@x.kr", no: no, sex: 1, age: 25, phone: "1",
                            answers: "[\(thread),\(index)]", layout: .leftRight, submissionID: "sub-\(no)"))
                        outcomes.withLock { $0.append(outcome) }
                    } catch {
                        failures.withLock { $0.append("\(no): \(error)") }
                    }
                }
                group.leave()
            }.start()
        }
        XCTAssertEqual(group.wait(timeout: .now() + 120), .success)
        XCTAssertEqual(failures.withLock { $0 }, [])
        let ids = outcomes.withLock { $0 }.compactMap { outcome -> Int64? in
            if case .inserted(let id) = outcome { return id }
            return nil
        }
        XCTAssertEqual(ids.count, threads * perThread)
        XCTAssertEqual(Set(ids).count, threads * perThread)
        XCTAssertEqual(try store.replyCount(packID: pack), threads * perThread)
        var answers = Set<String>()
        try store.forEachReply(packID: pack) { answers.insert($0.answers) }
        XCTAssertEqual(answers.count, threads * perThread)
        XCTAssertLessThan(fixture.committedBatches, threads * perThread, "some commits were shared")
        // Retrying every submit stores nothing new.
        let stored = try XCTUnwrap(Int64(try fixture.text("SELECT r_id FROM replies WHERE no = 't3i7'") ?? ""))
        XCTAssertEqual(try store.insertReply(reply(pack: pack, no: "t3i7", submissionID: "sub-t3i7")), .alreadyStored(stored))
        XCTAssertEqual(try fixture.count("replies"), Int64(threads * perThread))
    }

    func repliesAreCaseBlindPerPack() throws {
        let fixture = try makeFixture()
        let store = fixture.store
        let pack = try store.createPack(newPack("p", sex: 1, 20, 29), beforeCommit: {})
        let other = try store.createPack(newPack("q", sex: 2, 20, 29), beforeCommit: {})
        XCTAssertEqual(try store.insertReply(reply(pack: pack, no: "S123")), .inserted(1))
        XCTAssertTrue(try store.hasReply(packID: pack, participantNo: "s123"))
        XCTAssertEqual(try store.insertReply(reply(pack: pack, no: "s123")), .alreadyParticipated)
        XCTAssertEqual(try store.insertReply(reply(pack: pack, no: "S123")), .alreadyParticipated)
        XCTAssertEqual(try store.insertReply(reply(pack: other, no: "s123")), .inserted(2), "another pack")
        XCTAssertTrue(try store.hasReply(packID: other, participantNo: "S123"))
        // A fresh store loads the numbers from the database and compares them folded too.
        let reopened = try fixture.openStore()
        XCTAssertTrue(try reopened.hasReply(packID: pack, participantNo: "s123"))
        XCTAssertFalse(try reopened.hasReply(packID: pack, participantNo: "s1234"))
    }

    /// The rules hold for any writer of the database (a shell, another responder), not only for psyx.
    func theDatabaseEnforcesLayoutAndFoldedNumbers() throws {
        let fixture = try makeFixture()
        let pack = try fixture.store.createPack(newPack("p", sex: 1, 20, 29), beforeCommit: {})
        XCTAssertEqual(try fixture.store.insertReply(reply(pack: pack, no: "s9")), .inserted(1))
        let columns = "p_id, name, email, no, sex, age, phone, date, answers"
        let values = "\(pack), 'n', 'e@x.kr', 'S9', 1, 25, '', '2026-01-01T00:00:00Z', '[]'"
        let refused = [
            "INSERT INTO replies (\(columns)) VALUES (\(values))",  // no folded number
            "INSERT INTO replies (\(columns), no_folded) VALUES (\(values), 'S9')",  // not lower(no)
            "INSERT INTO replies (\(columns), no_folded) VALUES (\(values), 's9')",  // s9 has replied
            "INSERT INTO replies (\(columns), no_folded, layout) VALUES (\(values.replacingOccurrences(of: "S9", with: "t1")), 't1', 'left')",
        ]
        for sql in refused {
            XCTAssertThrowsError(try fixture.execute(sql), sql) { error in
                XCTAssertTrue(fixture.isConstraintViolation(error), "\(error)")
            }
        }
        try fixture.execute("INSERT INTO replies (\(columns), no_folded) VALUES (\(values.replacingOccurrences(of: "S9", with: "T1")), 't1')")
        XCTAssertEqual(try fixture.text("SELECT layout FROM replies WHERE no = 'T1'"), "key,rt,left,right")
        XCTAssertEqual(try fixture.count("replies"), 2)
    }
}
