import XCTest
@testable import Psyx

/// The relocation store's behaviour, written once and run on every backend (`RelocationStoreTests`
/// on SQLite, `PostgreSQLRelocationStoreTests` on PostgreSQL): the post/update state machine, the
/// worker's claims and leases, level and content checks — each on a real database.
protocol RelocationStoreScenarios {
    var backend: StoreBackend { get }
}

extension RelocationStoreScenarios {
    var now: Double { 1_800_000_000.0 }

    func postWritesAnUpdateJobAndUpdateWaitsUntilItIsDone() throws {
        let fixture = try RelocationFixture(backend)
        try fixture.addContent(7, in: "bronze", "g.mp4")
        let job = try fixture.store.post(cid: 7, count: 1964, now: now)
        XCTAssertEqual(job, RelocationJob(cid: 7, count: 1964, target: "silver", dbLevel: "bronze", filename: "g.mp4",
                                          workerID: nil, status: .update))
        XCTAssertEqual(String(decoding: job.json, as: UTF8.self), """
            {"cid": "7", "count": "1964", "target": "silver", "db_level": "bronze", "filename": "g.mp4", "worker_id": null, "status": "update"}
            """)
        XCTAssertEqual(try fixture.store.jobs(), [job])

        let before = try fixture.snapshot()
        XCTAssertFalse(try fixture.store.commit(cid: 7, now: now + 1), "not done yet")
        XCTAssertEqual(try fixture.snapshot(), before, "update_sentence on a pending job changes nothing")

        let claimed = try XCTUnwrap(try fixture.store.claim(workerID: "w1", lease: 60, now: now + 2))
        XCTAssertEqual(claimed.job.workerID, "w1")
        XCTAssertEqual(claimed.job.leaseExpires, now + 62)
        XCTAssertEqual(claimed.levels.levels.map(\.name), ["bronze", "silver", "gold"])
        XCTAssertTrue(try fixture.store.complete(cid: 7, workerID: "w1", now: now + 3))

        // The worker applied the move; the job stays `done` until the client's update_sentence.
        let moved = try XCTUnwrap(try fixture.store.content(cid: 7))
        XCTAssertEqual(moved.level, "silver")
        XCTAssertEqual(moved.updateTime, "2027-01-15T08:00:03.000Z")
        XCTAssertEqual(moved.generateTime, "2023-11-14T22:13:20.000Z")
        XCTAssertEqual(try fixture.store.job(cid: 7)?.status, .done)
        XCTAssertEqual(try fixture.store.job(cid: 7)?.workerID, "w1")

        XCTAssertTrue(try fixture.store.commit(cid: 7, now: now + 4))
        XCTAssertEqual(try fixture.store.jobs(), [])
        XCTAssertEqual(try fixture.store.content(cid: 7)?.level, "silver")
        XCTAssertEqual(try fixture.store.content(cid: 7)?.updateTime, "2027-01-15T08:00:04.000Z")
        XCTAssertFalse(try fixture.store.commit(cid: 7, now: now + 5), "no job any more")
    }

    func aCountInTheCurrentLevelIsDoneAtOnceAndCommits() throws {
        let fixture = try RelocationFixture(backend)
        try fixture.addContent(3, in: "gold", "a.mp4")
        let job = try fixture.store.post(cid: 3, count: 2500, now: now)
        XCTAssertEqual(job.status, .done)
        XCTAssertEqual(job.target, "gold")
        XCTAssertEqual(job.dbLevel, "gold")
        XCTAssertNil(try fixture.store.claim(workerID: "w1", lease: 60, now: now), "a done job is nobody's work")
        XCTAssertTrue(try fixture.store.commit(cid: 3, now: now + 1))
        XCTAssertEqual(try fixture.store.content(cid: 3)?.level, "gold")
        XCTAssertEqual(try fixture.store.content(cid: 3)?.updateTime, "2027-01-15T08:00:01.000Z")
    }

    func aCountAboveTheTopRaisesTheStoredMax() throws {
        let fixture = try RelocationFixture(backend)
        try fixture.addContent(1, in: "bronze", "b.mp4")
        let job = try fixture.store.post(cid: 1, count: 5000, now: now)
        XCTAssertEqual(job.target, "gold")
        XCTAssertEqual(try fixture.store.levelSet().level(named: "gold")?.maxCounts, 5000)
        XCTAssertEqual(try fixture.store.levelSet().level(named: "silver")?.maxCounts, 1999)
        _ = try fixture.store.post(cid: 1, count: 4000, now: now)
        XCTAssertEqual(try fixture.store.levelSet().level(named: "gold")?.maxCounts, 5000, "a lower count never lowers it")
    }

    func anUnclaimedJobIsReplacedButAHeldOneIsReturnedAsItStands() throws {
        let fixture = try RelocationFixture(backend)
        try fixture.addContent(7, in: "bronze", "g.mp4")
        _ = try fixture.store.post(cid: 7, count: 1964, now: now)
        let replaced = try fixture.store.post(cid: 7, count: 2500, now: now + 1)
        XCTAssertEqual(replaced.target, "gold")
        XCTAssertEqual(replaced.count, 2500)
        XCTAssertEqual(try fixture.store.jobs(), [replaced])

        _ = try XCTUnwrap(try fixture.store.claim(workerID: "w1", lease: 60, now: now + 2))
        let held = try fixture.store.post(cid: 7, count: 10, now: now + 3)
        XCTAssertEqual(held.target, "gold", "a job being moved is not replaced")
        XCTAssertEqual(held.count, 2500)
        XCTAssertEqual(held.workerID, "w1")
        XCTAssertEqual(held.status, .update)
        XCTAssertTrue(String(decoding: held.json, as: UTF8.self).contains(#""worker_id": "w1""#))

        // Once the lease has run out the worker is presumed dead: a new post replaces the job.
        let afterLease = try fixture.store.post(cid: 7, count: 10, now: now + 63)
        XCTAssertEqual(afterLease.target, "bronze")
        XCTAssertEqual(afterLease.status, .done)
        XCTAssertNil(afterLease.workerID)
        XCTAssertFalse(try fixture.store.complete(cid: 7, workerID: "w1", now: now + 64), "the dead worker's job is gone")
        XCTAssertEqual(try fixture.store.content(cid: 7)?.level, "bronze")
    }

    func aDoneJobIsReplacedByANewPost() throws {
        let fixture = try RelocationFixture(backend)
        try fixture.addContent(7, in: "bronze", "g.mp4")
        _ = try fixture.store.post(cid: 7, count: 1500, now: now)
        _ = try XCTUnwrap(try fixture.store.claim(workerID: "w1", lease: 60, now: now))
        XCTAssertTrue(try fixture.store.complete(cid: 7, workerID: "w1", now: now))
        let next = try fixture.store.post(cid: 7, count: 2100, now: now + 1)
        XCTAssertEqual(next.dbLevel, "silver", "the worker already applied the first move")
        XCTAssertEqual(next.target, "gold")
        XCTAssertEqual(next.status, .update)
    }

    func unknownContentIsRefusedAndNothingChanges() throws {
        let fixture = try RelocationFixture(backend)
        try fixture.addContent(7, in: "bronze", "g.mp4")
        let before = try fixture.snapshot()
        XCTAssertThrowsError(try fixture.store.post(cid: 8, count: 5000, now: now)) {
            XCTAssertEqual($0 as? RelocationError, .unknownContent(8))
        }
        XCTAssertThrowsError(try fixture.store.commit(cid: 8, now: now)) {
            XCTAssertEqual($0 as? RelocationError, .unknownContent(8))
        }
        XCTAssertEqual(try fixture.snapshot(), before, "not even the top's max was raised")
    }

    func claimsAreExclusiveAndLeasesExpire() throws {
        let fixture = try RelocationFixture(backend)
        for cid: Int64 in 1...2 {
            try fixture.addContent(cid, in: "bronze", "f\(cid).mp4")
            _ = try fixture.store.post(cid: cid, count: 1500, now: now)
        }
        let first = try XCTUnwrap(try fixture.store.claim(workerID: "a", lease: 10, now: now))
        let second = try XCTUnwrap(try fixture.store.claim(workerID: "b", lease: 10, now: now))
        XCTAssertNotEqual(first.job.cid, second.job.cid)
        XCTAssertNil(try fixture.store.claim(workerID: "c", lease: 10, now: now + 10), "both leases still hold")

        XCTAssertTrue(try fixture.store.renew(cid: first.job.cid, workerID: "a", until: now + 30))
        XCTAssertFalse(try fixture.store.renew(cid: first.job.cid, workerID: "b", until: now + 30), "not b's job")
        let retaken = try XCTUnwrap(try fixture.store.claim(workerID: "c", lease: 10, now: now + 11))
        XCTAssertEqual(retaken.job.cid, second.job.cid, "b's lease expired; a's was renewed")
        XCTAssertFalse(try fixture.store.renew(cid: second.job.cid, workerID: "b", until: now + 40))
        XCTAssertFalse(try fixture.store.complete(cid: second.job.cid, workerID: "b", now: now + 12))
        XCTAssertTrue(try fixture.store.complete(cid: second.job.cid, workerID: "c", now: now + 12))
    }

    func aReleasedJobWaitsForItsRetryTime() throws {
        let fixture = try RelocationFixture(backend)
        try fixture.addContent(1, in: "bronze", "f.mp4")
        _ = try fixture.store.post(cid: 1, count: 1500, now: now)
        _ = try XCTUnwrap(try fixture.store.claim(workerID: "a", lease: 60, now: now))
        try fixture.store.release(cid: 1, workerID: "a", retryAt: now + 30)
        let job = try XCTUnwrap(try fixture.store.job(cid: 1))
        XCTAssertNil(job.workerID)
        XCTAssertFalse(job.isHeld(at: now + 1))
        XCTAssertNil(try fixture.store.claim(workerID: "b", lease: 60, now: now + 29))
        XCTAssertEqual(try fixture.store.claim(workerID: "b", lease: 60, now: now + 31)?.job.cid, 1)
        try fixture.store.release(cid: 1, workerID: "b", retryAt: nil)
        XCTAssertEqual(try fixture.store.claim(workerID: "c", lease: 60, now: now + 31)?.job.cid, 1, "given back at once")
    }

    func levelChangesAreValidatedAsAWholeAndPersisted() throws {
        let fixture = try RelocationFixture(backend)
        XCTAssertThrowsError(try fixture.store.setLevels([Level(name: "gold", minCounts: 1500, maxCounts: 3001, path: "levels/gold")])) {
            XCTAssertEqual(($0 as? RelocationError)?.description, "levels overlap: silver 1000–1999 and gold 1500–3001")
        }
        XCTAssertEqual(try fixture.store.levelSet().levels, RelocationFixture.exampleLevels)
        let moved = try fixture.store.setLevels([
            Level(name: "silver", minCounts: 1000, maxCounts: 1499, path: "levels/silver"),
            Level(name: "gold", minCounts: 1500, maxCounts: 3001, path: "levels/gold"),
        ])
        XCTAssertEqual(moved.level(named: "gold")?.minCounts, 1500)
        XCTAssertEqual(try fixture.store.levelSet(), moved)
        let reopened = try fixture.openAnotherStore()
        XCTAssertEqual(try reopened.levelSet(), moved)
    }

    func removingALevelInUseOrInTheMiddleIsRefused() throws {
        let fixture = try RelocationFixture(backend)
        try fixture.addContent(1, in: "gold", "f.mp4")
        XCTAssertThrowsError(try fixture.store.removeLevel(named: "gold")) {
            XCTAssertEqual($0 as? RelocationError, .levelInUse("gold", contents: 1))
        }
        XCTAssertThrowsError(try fixture.store.removeLevel(named: "silver")) {
            XCTAssertEqual(($0 as? RelocationError)?.description, "gap between 999 and 2000")
        }
        XCTAssertThrowsError(try fixture.store.removeLevel(named: "tin")) {
            XCTAssertEqual($0 as? RelocationError, .unknownLevel("tin"))
        }
        _ = try fixture.store.setLevels([Level(name: "platinum", minCounts: 3002, maxCounts: 4000, path: "levels/platinum")])
        XCTAssertEqual(try fixture.store.removeLevel(named: "platinum").top?.name, "gold")
    }

    func contentRegistrationChecks() throws {
        let fixture = try RelocationFixture(backend)
        try fixture.addContent(1, in: "bronze", "f.mp4")
        XCTAssertThrowsError(try fixture.addContent(1, in: "bronze", "other.mp4")) {
            XCTAssertEqual($0 as? RelocationError, .contentExists(1))
        }
        XCTAssertThrowsError(try fixture.addContent(2, in: "gold", "f.mp4")) {
            XCTAssertEqual($0 as? RelocationError, .filenameTaken("f.mp4"))
        }
        XCTAssertThrowsError(try fixture.store.addContent(cid: 2, level: "tin", filename: "x.mp4", now: now) { _ in }) {
            XCTAssertEqual($0 as? RelocationError, .unknownLevel("tin"))
        }
        for bad in ["", ".hidden", "a/b", "..", "a\nb", String(repeating: "x", count: 201)] {
            XCTAssertThrowsError(try fixture.store.addContent(cid: 2, level: "bronze", filename: bad, now: now) { _ in }) {
                XCTAssertEqual($0 as? RelocationError, .invalidFilename(bad))
            }
        }
        XCTAssertThrowsError(try fixture.store.addContent(cid: 2, level: "bronze", filename: "y.mp4", now: now) { _ in
            throw RelocationError.fileMissing(filename: "y.mp4", folder: "x")
        })
        XCTAssertEqual(try fixture.store.contents().map(\.cid), [1], "a refused registration writes nothing")
    }
}
