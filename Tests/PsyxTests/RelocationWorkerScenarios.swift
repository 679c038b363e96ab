import Foundation
import Synchronization
import XCTest
@testable import Psyx

/// The worker in this process, against real files and a real database, written once and run on every
/// backend (`RelocationWorkerTests` on SQLite, `PostgreSQLRelocationWorkerTests` on PostgreSQL): moves,
/// logging, failures, dead workers' jobs, stopping, and two workers sharing 200 jobs.
protocol RelocationWorkerScenarios {
    var backend: StoreBackend { get }
}

extension RelocationWorkerScenarios {
    private func worker(_ fixture: RelocationFixture, id: String = "w1", lease: Double = 60,
                        mover: FileMover = FileMover(), store: (any RelocationStore)? = nil,
                        clock: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }) -> RelocationWorker {
        RelocationWorker(store: store ?? fixture.store, dataRoot: fixture.root, mover: mover,
                         log: RequestLog(directory: fixture.data.logs),
                         options: .init(workerID: id, lease: lease, retryDelay: 30), clock: clock)
    }

    private func logLines(_ fixture: RelocationFixture) -> [String] {
        let text = (try? String(contentsOfFile: fixture.data.logs + "/api.log", encoding: .utf8)) ?? ""
        return text.split(separator: "\n").map(String.init)
    }

    func drainMovesCompletesAndLogsEachMove() throws {
        let fixture = try RelocationFixture(backend)
        try fixture.addContent(7, in: "bronze", "g.mp4", bytes: [1, 2, 3])
        try fixture.addContent(8, in: "gold", "h.mp4", bytes: [4, 5])
        _ = try fixture.store.post(cid: 7, count: 1964, now: Date().timeIntervalSince1970)
        _ = try fixture.store.post(cid: 8, count: 0, now: Date().timeIntervalSince1970)

        XCTAssertEqual(try worker(fixture).drain(), 2)
        XCTAssertEqual(fixture.holders(of: "g.mp4"), ["silver"])
        XCTAssertEqual(fixture.holders(of: "h.mp4"), ["bronze"])
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: fixture.folder("silver") + "/g.mp4")), Data([1, 2, 3]))
        XCTAssertEqual(try fixture.store.content(cid: 7)?.level, "silver")
        XCTAssertEqual(try fixture.store.jobs().map(\.status), [.done, .done])
        XCTAssertEqual(try worker(fixture).drain(), 0, "nothing left to claim")

        let moves = logLines(fixture).filter { $0.contains("relocate worker w1: cid ") }
        XCTAssertEqual(moves.count, 2, moves.joined(separator: "\n"))
        XCTAssertTrue(moves[0].contains("cid 7 g.mp4 bronze → silver: renamed in "), moves[0])
        XCTAssertEqual(moves[0].split(separator: "\t", omittingEmptySubsequences: false).dropFirst().first, "INFO", moves[0])
    }

    func aJobWhoseFileIsNowhereIsGivenBackForLater() throws {
        let fixture = try RelocationFixture(backend)
        try fixture.addContent(7, in: "bronze", "g.mp4")
        try FileManager.default.removeItem(atPath: fixture.folder("bronze") + "/g.mp4")
        let now = Date().timeIntervalSince1970
        _ = try fixture.store.post(cid: 7, count: 1964, now: now)
        XCTAssertEqual(try worker(fixture).drain(), 0, "the failed job does not loop")
        let job = try XCTUnwrap(try fixture.store.job(cid: 7))
        XCTAssertEqual(job.status, .update)
        XCTAssertNil(job.workerID)
        XCTAssertGreaterThan(job.leaseExpires ?? 0, now + 20, "retried after the retry delay")
        XCTAssertEqual(try fixture.store.content(cid: 7)?.level, "bronze")
        XCTAssertTrue(logLines(fixture).contains { $0.contains("ERROR") && $0.contains("cid 7 g.mp4 bronze → silver failed") })
    }

    func aFileLeftInAThirdLevelIsFoundAndMoved() throws {
        // An earlier worker moved the file toward gold, then its job was replaced by one for silver.
        let fixture = try RelocationFixture(backend)
        try fixture.addContent(7, in: "bronze", "g.mp4", bytes: [7])
        try FileManager.default.moveItem(atPath: fixture.folder("bronze") + "/g.mp4", toPath: fixture.folder("gold") + "/g.mp4")
        _ = try fixture.store.post(cid: 7, count: 1500, now: Date().timeIntervalSince1970)
        XCTAssertEqual(try worker(fixture).drain(), 1)
        XCTAssertEqual(fixture.holders(of: "g.mp4"), ["silver"])
        XCTAssertTrue(logLines(fixture).contains { $0.contains("(found in gold)") })
    }

    func aDeadWorkersJobIsTakenAfterItsLease() throws {
        let fixture = try RelocationFixture(backend)
        try fixture.addContent(7, in: "bronze", "g.mp4")
        let now = Date().timeIntervalSince1970
        _ = try fixture.store.post(cid: 7, count: 2500, now: now)
        _ = try XCTUnwrap(try fixture.store.claim(workerID: "dead", lease: 5, now: now))
        XCTAssertEqual(try worker(fixture, clock: { now + 1 }).drain(), 0, "the lease still holds")
        XCTAssertEqual(try worker(fixture, clock: { now + 6 }).drain(), 1)
        XCTAssertEqual(fixture.holders(of: "g.mp4"), ["gold"])
        XCTAssertEqual(try fixture.store.job(cid: 7)?.workerID, "w1")
    }

    func aLeaseLostMidCopyAbandonsThatCopyCleanly() throws {
        let fixture = try RelocationFixture(backend)
        try fixture.addContent(7, in: "bronze", "g.mp4", bytes: [UInt8](repeating: 3, count: 64 * 4096))
        let start = Date().timeIntervalSince1970
        _ = try fixture.store.post(cid: 7, count: 2500, now: start)
        let store = fixture.store
        let ticks = Mutex(0)
        // Time moves one second per look at the clock; at the 6th look (mid-copy toward gold) a new
        // post made after the lease ran out replaces the job with one for silver, so the worker's next
        // renewal fails. The worker drops its copy, then claims the new job like any other.
        let clock: @Sendable () -> Double = {
            let tick = ticks.withLock { value -> Int in value += 1; return value }
            if tick == 6 { _ = try? store.post(cid: 7, count: 1500, now: start + 1000) }
            return start + Double(tick)
        }
        let mover = FileMover(forceCopy: true, chunkSize: 4096)
        XCTAssertEqual(try worker(fixture, lease: 3, mover: mover, clock: clock).drain(), 1)
        XCTAssertEqual(fixture.holders(of: "g.mp4"), ["silver"], "nothing was left in gold")
        XCTAssertEqual(fixture.partialFiles, [])
        let job = try XCTUnwrap(try fixture.store.job(cid: 7))
        XCTAssertEqual(job.target, "silver")
        XCTAssertEqual(job.status, .done)
        XCTAssertEqual(try fixture.store.content(cid: 7)?.level, "silver")
        let lines = logLines(fixture)
        XCTAssertTrue(lines.contains { $0.contains("cid 7 g.mp4 bronze → gold: lost the job's lease") }, lines.joined(separator: "\n"))
        XCTAssertTrue(lines.contains { $0.contains("cid 7 g.mp4 bronze → silver: copied") })
    }

    func stoppingMidCopyGivesTheJobBackAtOnce() throws {
        let fixture = try RelocationFixture(backend)
        try fixture.addContent(7, in: "bronze", "g.mp4", bytes: [UInt8](repeating: 1, count: 200 * 4096))
        _ = try fixture.store.post(cid: 7, count: 2500, now: Date().timeIntervalSince1970)
        let mover = FileMover(forceCopy: true, chunkSize: 4096, pauseAfterChunkMicroseconds: 5000)
        let subject = worker(fixture, mover: mover)
        let finished = DispatchSemaphore(value: 0)
        let result = Mutex<Result<Int, any Error>?>(nil)
        Thread.detachNewThread {
            let outcome = Result { try subject.drain() }
            result.withLock { $0 = outcome }
            finished.signal()
        }
        let deadline = Date().addingTimeInterval(10)
        while fixture.partialFiles.isEmpty && Date() < deadline { usleep(2000) }
        XCTAssertFalse(fixture.partialFiles.isEmpty, "the copy started")
        subject.stop()
        XCTAssertEqual(finished.wait(timeout: .now() + 10), .success)
        XCTAssertEqual(try result.withLock { $0 }?.get(), 0)
        XCTAssertEqual(fixture.holders(of: "g.mp4"), ["bronze"])
        XCTAssertEqual(fixture.partialFiles, [])
        let job = try XCTUnwrap(try fixture.store.job(cid: 7))
        XCTAssertNil(job.workerID)
        XCTAssertNil(job.leaseExpires, "claimable again at once")
    }

    func twoWorkersShare200JobsEachDoneExactlyOnce() throws {
        let fixture = try RelocationFixture(backend)
        let levels = ["bronze", "silver", "gold"]
        let counts: [Int64] = [500, 1500, 2500]
        let now = Date().timeIntervalSince1970
        for index in 0..<200 {
            let cid = Int64(index + 1)
            try fixture.addContent(cid, in: levels[index % 3], "f\(cid).bin", bytes: Array("file \(cid)\n".utf8))
            _ = try fixture.store.post(cid: cid, count: counts[(index + 1) % 3], now: now)
        }
        XCTAssertEqual(try fixture.store.jobs().filter { $0.status == .update }.count, 200)

        // Each worker has its own connection, as two processes would.
        let done = Mutex<[String: Int]>([:])
        let group = DispatchGroup()
        for (id, forceCopy) in [("left", true), ("right", false)] {
            let store = try fixture.openAnotherStore()
            let subject = worker(fixture, id: id, mover: FileMover(forceCopy: forceCopy), store: store)
            group.enter()
            Thread.detachNewThread {
                let completed = (try? subject.drain()) ?? -1
                done.withLock { $0[id] = completed }
                group.leave()
            }
        }
        XCTAssertEqual(group.wait(timeout: .now() + 120), .success)
        let completed = done.withLock { $0 }
        XCTAssertEqual((completed["left"] ?? 0) + (completed["right"] ?? 0), 200, "\(completed)")

        let jobs = try fixture.store.jobs()
        XCTAssertEqual(jobs.count, 200)
        XCTAssertTrue(jobs.allSatisfy { $0.status == .done })
        for index in 0..<200 {
            let cid = Int64(index + 1)
            let target = levels[(index + 1) % 3]
            XCTAssertEqual(fixture.holders(of: "f\(cid).bin"), [target], "file \(cid)")
            XCTAssertEqual(try String(contentsOfFile: fixture.folder(target) + "/f\(cid).bin", encoding: .utf8), "file \(cid)\n")
            XCTAssertEqual(try fixture.store.content(cid: cid)?.level, target)
        }
        XCTAssertEqual(fixture.partialFiles, [])
        let moved = logLines(fixture).compactMap { line -> String? in
            guard let range = line.range(of: #"relocate worker (left|right): cid \d+ "#, options: .regularExpression) else { return nil }
            return String(line[range]).split(separator: " ")[3...4].joined(separator: " ")
        }
        XCTAssertEqual(moved.count, 200, "one logged move per job")
        XCTAssertEqual(Set(moved).count, 200, "no job moved twice")
    }
}
