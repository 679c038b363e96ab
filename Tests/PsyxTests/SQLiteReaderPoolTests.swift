import Dispatch
import Foundation
import FastCGI
import XCTest
@testable import Psyx

/// The reader pool on a real database file: it grows to the concurrency it meets and keeps those
/// connections, and reads never wait for each other (nested reads included).
final class SQLiteReaderPoolTests: XCTestCase {
    private var directory = ""
    private var path: String { directory + "/psyx.sqlite3" }

    override func setUpWithError() throws {
        directory = NSTemporaryDirectory() + "/psyx-readers-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        _ = try SQLiteStore(path: path, readerCount: 1)  // creates the schema
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// `concurrent` reads that all hold their connection at the same moment.
    private func holdAtOnce(_ pool: SQLiteReaderPool, _ concurrent: Int) throws -> [Int64?] {
        let arrived = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        let results = Locked<[Int64?]>([])
        let group = DispatchGroup()
        for _ in 0..<concurrent {
            group.enter()
            Thread {
                let value = try? pool.withConnection { db -> Int64? in
                    arrived.signal()
                    release.wait()
                    return try db.int64("SELECT 41 + 1")
                }
                results.withLock { $0.append(value ?? nil) }
                group.leave()
            }.start()
        }
        for _ in 0..<concurrent { XCTAssertEqual(arrived.wait(timeout: .now() + 10), .success) }
        for _ in 0..<concurrent { release.signal() }
        XCTAssertEqual(group.wait(timeout: .now() + 10), .success)
        return results.withLock { $0 }
    }

    func testPoolGrowsToTheConcurrencyItMeetsAndKeepsIt() throws {
        let pool = try SQLiteReaderPool(path: path, count: 2, maxCount: 8)
        XCTAssertEqual(pool.openCount, 2)
        XCTAssertEqual(try holdAtOnce(pool, 6), Array(repeating: 42, count: 6))
        XCTAssertEqual(pool.openCount, 6, "four more opened, and kept")
        XCTAssertEqual(try holdAtOnce(pool, 6), Array(repeating: 42, count: 6))
        XCTAssertEqual(pool.openCount, 6, "the second burst found them open")
    }

    func testBeyondItsPlacesAReadStillRunsOnATemporaryConnection() throws {
        let pool = try SQLiteReaderPool(path: path, count: 1, maxCount: 2)
        XCTAssertEqual(try holdAtOnce(pool, 5), Array(repeating: 42, count: 5))
        XCTAssertEqual(pool.openCount, 2)
        let nested = try pool.withConnection { _ in
            try pool.withConnection { _ in try pool.withConnection { db in try db.int64("SELECT 7") } }
        }
        XCTAssertEqual(nested, 7, "reads inside reads never wait for the pool")
    }
}
