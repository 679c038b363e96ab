import Foundation
import Synchronization
import PsyxTestSupport
import XCTest
@testable import Psyx

/// `RelocationStoreScenarios` on the test PostgreSQL server (`PSYX_TEST_POSTGRES`), each test in a schema of
/// its own, plus what only a shared server has: many processes claiming and changing levels at once.
final class PostgreSQLRelocationStoreTests: XCTestCase, RelocationStoreScenarios {
    let backend = StoreBackend.postgresql

    func testPostWritesAnUpdateJobAndUpdateWaitsUntilItIsDone() throws { try postWritesAnUpdateJobAndUpdateWaitsUntilItIsDone() }
    func testACountInTheCurrentLevelIsDoneAtOnceAndCommits() throws { try aCountInTheCurrentLevelIsDoneAtOnceAndCommits() }
    func testACountAboveTheTopRaisesTheStoredMax() throws { try aCountAboveTheTopRaisesTheStoredMax() }
    func testAnUnclaimedJobIsReplacedButAHeldOneIsReturnedAsItStands() throws { try anUnclaimedJobIsReplacedButAHeldOneIsReturnedAsItStands() }
    func testADoneJobIsReplacedByANewPost() throws { try aDoneJobIsReplacedByANewPost() }
    func testUnknownContentIsRefusedAndNothingChanges() throws { try unknownContentIsRefusedAndNothingChanges() }
    func testClaimsAreExclusiveAndLeasesExpire() throws { try claimsAreExclusiveAndLeasesExpire() }
    func testAReleasedJobWaitsForItsRetryTime() throws { try aReleasedJobWaitsForItsRetryTime() }
    func testLevelChangesAreValidatedAsAWholeAndPersisted() throws { try levelChangesAreValidatedAsAWholeAndPersisted() }
    func testRemovingALevelInUseOrInTheMiddleIsRefused() throws { try removingALevelInUseOrInTheMiddleIsRefused() }
    func testContentRegistrationChecks() throws { try contentRegistrationChecks() }

    // MARK: Only on a shared server

    func testClaimsFromEightConnectionsAtOnceNeverTakeAJobTwice() throws {
        let fixture = try RelocationFixture(backend)
        let now = Date().timeIntervalSince1970
        for cid: Int64 in 1...200 {
            try fixture.addContent(cid, in: "bronze", "f\(cid).bin")
            _ = try fixture.store.post(cid: cid, count: 1500, now: now)
        }
        let stores = try (0..<8).map { _ in try fixture.openAnotherStore() }
        let claimed = Mutex<[String: [Int64]]>([:])
        let failures = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: stores.count) { index in
            let worker = "w\(index)"
            do {
                while let job = try stores[index].claim(workerID: worker, lease: 600, now: now) {
                    claimed.withLock { $0[worker, default: []].append(job.job.cid) }
                }
            } catch {
                failures.withLock { $0.append("\(worker): \(error)") }
            }
        }
        XCTAssertEqual(failures.withLock { $0 }, [])
        let byWorker = claimed.withLock { $0 }
        let all = byWorker.values.flatMap { $0 }
        XCTAssertEqual(all.count, 200, "every job claimed once: \(byWorker.mapValues(\.count))")
        XCTAssertEqual(Set(all), Set(1...200))
        XCTAssertGreaterThan(byWorker.count, 1, "the claims really were spread over several workers")
        for job in try fixture.store.jobs() {
            XCTAssertTrue(byWorker[job.workerID ?? ""]?.contains(job.cid) == true, "cid \(job.cid) is held by its claimer")
        }
    }

    func testALevelAddedWhileAPostRaisesTheTopNeverLeavesAnOverlap() throws {
        // Serially either order is fine: platinum 3002–4000 is added and the post of 5000 raises it,
        // or the post raises gold to 5000 first and platinum is refused as overlapping. Run together,
        // neither may act on a set the other has already changed.
        var outcomes: Set<String> = []
        for round in 0..<12 {
            let fixture = try RelocationFixture(backend)
            try fixture.addContent(1, in: "bronze", "f.mp4")
            let other = try fixture.openAnotherStore()
            let start = DispatchSemaphore(value: 0)
            let added = Mutex<Result<LevelSet, any Error>?>(nil)
            let group = DispatchGroup()
            DispatchQueue.global().async(group: group) {
                start.wait()
                let result = Result { try other.setLevels([Level(name: "platinum", minCounts: 3002, maxCounts: 4000,
                                                                 path: "levels/platinum")]) }
                added.withLock { $0 = result }
            }
            start.signal()
            let job = try fixture.store.post(cid: 1, count: 5000, now: now)
            XCTAssertEqual(group.wait(timeout: .now() + 30), .success)
            let levels = try fixture.store.levelSet()  // throws if the stored set were invalid
            switch try XCTUnwrap(added.withLock { $0 }) {
            case .success:
                XCTAssertEqual(job.target, "platinum", "round \(round)")
                XCTAssertEqual(levels.level(named: "platinum")?.maxCounts, 5000)
                XCTAssertEqual(levels.level(named: "gold")?.maxCounts, 3001)
                outcomes.insert("level first")
            case .failure(let error):
                XCTAssertEqual((error as? RelocationError)?.description,
                               "levels overlap: gold 2000–5000 and platinum 3002–4000", "round \(round): \(error)")
                XCTAssertEqual(job.target, "gold")
                XCTAssertEqual(levels.top?.maxCounts, 5000)
                outcomes.insert("post first")
            }
        }
        XCTAssertFalse(outcomes.isEmpty)
    }

    func testTheDatabaseItselfRefusesOverlappingLevels() throws {
        let fixture = try RelocationFixture(backend)
        let db = try fixture.postgreSQLConnection()
        XCTAssertThrowsError(try db.transaction(.readCommitted) { db in
            try db.execute("INSERT INTO levels VALUES ('tin', 500, 600, 'levels/tin')")
        }) { XCTAssertTrue(($0 as? PostgreSQLError)?.isExclusionViolation == true, "\($0)") }
        XCTAssertThrowsError(try db.execute("INSERT INTO levels VALUES ('tin', 10, 5, 'levels/tin')")) {
            XCTAssertTrue(($0 as? PostgreSQLError)?.isCheckViolation == true, "\($0)")
        }
        XCTAssertEqual(try fixture.store.levelSet().levels, RelocationFixture.exampleLevels)
    }

    func testStoresOpeningAtOnceMigrateOnceAndANewerSchemaIsRefused() throws {
        let schema = try PostgreSQLTestSchema()
        let info = schema.info
        let failures = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 4) { _ in
            do { _ = try PostgreSQLRelocationStore(connection: info, maxConnections: 1) } catch {
                failures.withLock { $0.append("\(error)") }
            }
        }
        XCTAssertEqual(failures.withLock { $0 }, [])
        let db = try schema.connect()
        XCTAssertEqual(try PostgreSQLMigrations.version(on: db), PostgreSQLMigrations.steps.count)
        XCTAssertEqual(try db.execute("SELECT count(*) FROM psyx_schema").first?.int64(0), 1)

        try db.execute("UPDATE psyx_schema SET version = version + 1")
        XCTAssertThrowsError(try PostgreSQLRelocationStore(connection: schema.info)) {
            XCTAssertEqual($0 as? StoreError, .failure("PostgreSQL schema version \(PostgreSQLMigrations.steps.count + 1) "
                                                        + "is newer than this psyx understands (\(PostgreSQLMigrations.steps.count))"))
        }
    }

    func testAKilledConnectionIsReopenedAndTheCallSucceeds() throws {
        let fixture = try RelocationFixture(backend)
        try fixture.addContent(7, in: "bronze", "g.mp4")
        let store = try XCTUnwrap(fixture.store as? PostgreSQLRelocationStore)
        let observer = try fixture.postgreSQLConnection()
        for _ in 0..<2 {
            let pids = try store.pool.read { db in try db.execute("SELECT pg_backend_pid()").rows.map { try $0.int64(0) } }
            for pid in pids {
                XCTAssertEqual(try observer.execute("SELECT pg_terminate_backend($1::int, 5000)", [pid]).first?.bool(0), true)
            }
        }
        XCTAssertEqual(try store.post(cid: 7, count: 1964, now: now).target, "silver")
        XCTAssertEqual(try store.claim(workerID: "w", lease: 60, now: now)?.job.cid, 7)
    }
}
