import Foundation
import Synchronization
import XCTest
@testable import Psyx

/// Group commit on its own, with a slow fake commit: callers that arrive during a commit share the next one.
final class GroupCommitTests: XCTestCase {
    func testCallersArrivingDuringACommitShareTheNextBatch() throws {
        let commits = GroupCommit<Int, Int>()
        let batches = Mutex<[[Int]]>([])
        let firstCommitEntered = DispatchSemaphore(value: 0)
        let releaseFirstCommit = DispatchSemaphore(value: 0)
        let commit: @Sendable ([Int]) -> [Result<Int, any Error>] = { items in
            let isFirst = batches.withLock { batches in
                batches.append(items)
                return batches.count == 1
            }
            if isFirst {
                firstCommitEntered.signal()
                releaseFirstCommit.wait()
            }
            return items.map { .success($0 * 10) }
        }
        let results = Mutex<[Int: Int]>([:])
        let group = DispatchGroup()
        func submit(_ value: Int) {
            group.enter()
            Thread {
                if let result = try? commits.submit(value, commit: commit) {
                    results.withLock { $0[value] = result }
                }
                group.leave()
            }.start()
        }
        submit(0)
        firstCommitEntered.wait()
        for value in 1...15 { submit(value) }
        let deadline = Date().addingTimeInterval(10)
        while commits.waitingCount < 15 && Date() < deadline { usleep(1000) }
        XCTAssertEqual(commits.waitingCount, 15)
        releaseFirstCommit.signal()
        XCTAssertEqual(group.wait(timeout: .now() + 10), .success)

        let seen = batches.withLock { $0 }
        XCTAssertEqual(seen.count, 2)
        XCTAssertEqual(seen.first, [0])
        XCTAssertEqual(Set(seen.last ?? []), Set(1...15))
        XCTAssertEqual(results.withLock { $0 }, Dictionary(uniqueKeysWithValues: (0...15).map { ($0, $0 * 10) }))
        XCTAssertEqual(commits.committedBatches, 2)
    }

    func testEachCallerGetsItsOwnErrorAndBatchesAreCapped() throws {
        struct Odd: Error {}
        let commits = GroupCommit<Int, Int>(maxBatch: 4)
        let largest = Mutex(0)
        let commit: @Sendable ([Int]) -> [Result<Int, any Error>] = { items in
            largest.withLock { $0 = max($0, items.count) }
            usleep(2000)
            return items.map { $0 % 2 == 1 ? .failure(Odd()) : .success($0) }
        }
        let outcomes = Mutex<[Int: Bool]>([:])
        let group = DispatchGroup()
        for value in 0..<32 {
            group.enter()
            Thread {
                let ok = (try? commits.submit(value, commit: commit)) == value
                outcomes.withLock { $0[value] = ok }
                group.leave()
            }.start()
        }
        XCTAssertEqual(group.wait(timeout: .now() + 30), .success)
        XCTAssertEqual(outcomes.withLock { $0 }, Dictionary(uniqueKeysWithValues: (0..<32).map { ($0, $0 % 2 == 0) }))
        XCTAssertLessThanOrEqual(largest.withLock { $0 }, 4)
    }

    func testWrongResultCountFailsTheBatchInsteadOfCrashing() {
        let commits = GroupCommit<Int, Int>()
        XCTAssertThrowsError(try commits.submit(1) { _ in [] })
        XCTAssertEqual(try commits.submit(2) { items in items.map { .success($0) } }, 2)
    }
}
