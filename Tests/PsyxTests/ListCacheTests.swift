import Foundation
import XCTest
@testable import Psyx

/// `/api/admin/list`'s answer on SQLite (`StoreScenarios+List`), refreshed also after a commit by
/// another process (the `sqlite3` shell); `VersionedAnswer` on its own.
final class ListCacheTests: XCTestCase, StoreScenarios {
    let backend = StoreBackend.sqlite
    var directory = ""
    var path: String { directory + "/psyx.sqlite3" }

    override func setUpWithError() throws {
        directory = NSTemporaryDirectory() + "psyx-listcache-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: directory)
    }

    func testReusedAnswerIsIdenticalAndDoesNotRender() throws { try reusedListIsIdenticalAndDoesNotRender() }
    func testAnswerIsTodaysRendering() throws { try listIsTodaysRendering() }
    func testCreateSubmitAndRemoveThroughTheStoreRefresh() throws { try createSubmitAndRemoveThroughTheStoreRefreshTheList() }
    func testFailedWriteThroughTheStoreStillServesTheSameList() throws { try failedWriteThroughTheStoreStillServesTheSameList() }
    func testWriteBySeparateConnectionRefreshes() throws { try writeBySeparateConnectionRefreshesTheList() }
    func testDataVersionMovesOnlyOnCommits() throws { try dataVersionMovesOnlyOnCommits() }

    /// Another process: the `sqlite3` shell, as a researcher or a bulk import would write.
    func testWriteByAnotherProcessRefreshes() throws {
        let shell = "/usr/bin/sqlite3"
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: shell), "needs \(shell)")
        let (store, routes) = try open()
        _ = try store.createPack(listPack("a", sex: 2), beforeCommit: {})
        XCTAssertEqual(try summaries(routes).map(\.name), ["a"])
        let process = Process()
        process.executableURL = URL(fileURLWithPath: shell)
        process.arguments = ["-cmd", ".timeout 5000", path,
                             "INSERT INTO packs (pack_name, sex, age_min, age_max, date) VALUES ('bulk', 1, 0, 9, '2026-01-01T00:00:00Z')"]
        try process.run()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0)
        XCTAssertEqual(try summaries(routes).map(\.name), ["a", "bulk"])
        XCTAssertEqual(routes.listAnswer.renders, 2)
    }

    func testNilVersionIsNeverReusedAndFailedRenderIsNotKept() throws {
        let answer = VersionedAnswer()
        XCTAssertEqual(try answer.bytes(at: nil) { [1] }, [1])
        XCTAssertEqual(try answer.bytes(at: nil) { [2] }, [2])
        XCTAssertThrowsError(try answer.bytes(at: 5) { throw StoreError.failure("down") })
        XCTAssertEqual(try answer.bytes(at: 5) { [3] }, [3])
        XCTAssertEqual(try answer.bytes(at: 5) { [4] }, [3])
        XCTAssertEqual(try answer.bytes(at: 6) { [5] }, [5])
        XCTAssertEqual(answer.renders, 4)
    }

    // MARK: Helpers

    func open() throws -> (SQLiteStore, ExperimentRoutes) {
        let store = try SQLiteStore(path: path, readerCount: 2)
        let routes = ExperimentRoutes(store: store, data: DataDirectory(directory), packSize: 2, timeLimit: 3,
                                      log: RequestLog(directory: directory + "/logs"))
        return (store, routes)
    }
}
