import Foundation
import XCTest
@testable import Psyx

/// `/api/admin/list`'s answer is reused while the database is unchanged, and refreshed after any
/// commit: through the store, by another connection, by another process. Real SQLite files.
final class ListCacheTests: XCTestCase {
    var directory = ""
    var path: String { directory + "/psyx.sqlite3" }

    override func setUpWithError() throws {
        directory = NSTemporaryDirectory() + "psyx-listcache-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: directory)
    }

    func testReusedAnswerIsIdenticalAndDoesNotRender() throws {
        let (store, routes) = try open()
        _ = try store.createPack(pack("female20s", sex: 2), beforeCommit: {})
        _ = try store.createPack(pack("male20s", sex: 1), beforeCommit: {})
        let first = try list(routes)
        XCTAssertEqual(routes.listAnswer.renders, 1)
        for _ in 0..<5 {
            XCTAssertEqual(try list(routes), first)
        }
        XCTAssertEqual(routes.listAnswer.renders, 1, "an unchanged database must not be queried again")
    }

    func testAnswerIsTodaysRendering() throws {
        let (store, routes) = try open()
        XCTAssertEqual(text(try list(routes)), "[]")
        _ = try store.createPack(pack("f \"q\"", sex: 2), beforeCommit: {})
        let male = try store.createPack(pack("m", sex: 1, 30, 39), beforeCommit: {})
        XCTAssertEqual(try store.insertReply(reply(pack: male, no: "1")), .inserted(1))
        let dates = try store.packSummaries().map(\.date)
        let expected = #"[{"p_id":1,"pack_name":"f \"q\"","sex":2,"age_min":20,"age_max":29,"date":"\#(dates[0])","count":0,"open":true},"#
            + #"{"p_id":2,"pack_name":"m","sex":1,"age_min":30,"age_max":39,"date":"\#(dates[1])","count":1,"open":true}]"#
        XCTAssertEqual(text(try list(routes)), expected)
        XCTAssertEqual(text(try list(routes)), expected, "the reused bytes")
        XCTAssertEqual(try list(routes), ExperimentRoutes.listJSON(try store.packSummaries()))
    }

    func testCreateSubmitAndRemoveThroughTheStoreRefresh() throws {
        let (store, routes) = try open()
        let id = try store.createPack(pack("a", sex: 2), beforeCommit: {})
        XCTAssertEqual(try summaries(routes).map(\.name), ["a"])
        let other = try store.createPack(pack("b", sex: 1), beforeCommit: {})
        XCTAssertEqual(try summaries(routes).map(\.name), ["a", "b"])
        XCTAssertEqual(try store.insertReply(reply(pack: id, no: "7")), .inserted(1))
        XCTAssertEqual(try summaries(routes).map(\.count), [1, 0])
        XCTAssertNotNil(try store.removePack(id: other))
        XCTAssertEqual(try summaries(routes).map(\.name), ["a"])
        XCTAssertEqual(routes.listAnswer.renders, 4)
        _ = try summaries(routes)
        XCTAssertEqual(routes.listAnswer.renders, 4)
    }

    func testFailedWriteThroughTheStoreStillServesTheSameList() throws {
        let (store, routes) = try open()
        _ = try store.createPack(pack("a", sex: 2), beforeCommit: {})
        let before = try list(routes)
        XCTAssertThrowsError(try store.createPack(pack("a", sex: 1, 50, 60), beforeCommit: {}))
        XCTAssertThrowsError(try store.createPack(pack("c", sex: 1), beforeCommit: { throw StoreError.failure("no") }))
        XCTAssertEqual(try list(routes), before)
    }

    func testWriteBySeparateConnectionRefreshes() throws {
        let (store, routes) = try open()
        _ = try store.createPack(pack("a", sex: 2), beforeCommit: {})
        XCTAssertEqual(try summaries(routes).map(\.name), ["a"])
        let other = try SQLiteDatabase(path: path, mode: .readWrite)
        other.setBusyTimeout(milliseconds: 5000)
        try other.exec("UPDATE packs SET pack_name = 'renamed', reply_count = 3 WHERE p_id = 1")
        XCTAssertEqual(try summaries(routes).map(\.name), ["renamed"])
        XCTAssertEqual(try summaries(routes).map(\.count), [3])
        XCTAssertEqual(routes.listAnswer.renders, 2)
    }

    /// Another process: the `sqlite3` shell, as a researcher or a bulk import would write.
    func testWriteByAnotherProcessRefreshes() throws {
        let shell = "/usr/bin/sqlite3"
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: shell), "needs \(shell)")
        let (store, routes) = try open()
        _ = try store.createPack(pack("a", sex: 2), beforeCommit: {})
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

    func testDataVersionMovesOnlyOnCommits() throws {
        let (store, _) = try open()
        let start = try XCTUnwrap(try store.dataVersion())
        _ = try store.packSummaries()
        XCTAssertEqual(try store.dataVersion(), start, "reads change nothing")
        _ = try store.createPack(pack("a", sex: 2), beforeCommit: {})
        let created = try XCTUnwrap(try store.dataVersion())
        XCTAssertNotEqual(created, start)
        XCTAssertEqual(try store.dataVersion(), created)
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

    func list(_ routes: ExperimentRoutes) throws -> [UInt8] {
        let response = try routes.list()
        XCTAssertEqual(response.status, 200)
        guard case .bytes(let bytes) = response.body else {
            XCTFail("list streamed its answer")
            return []
        }
        return bytes
    }

    func summaries(_ routes: ExperimentRoutes) throws -> [(name: String, count: Int)] {
        let packs = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(list(routes))) as? [[String: Any]])
        return packs.map { ($0["pack_name"] as? String ?? "?", $0["count"] as? Int ?? -1) }
    }

    func text(_ bytes: [UInt8]) -> String {
        String(decoding: bytes, as: UTF8.self)
    }

    func pack(_ name: String, sex: Int, _ ageMin: Int = 20, _ ageMax: Int = 29) -> NewPack {
        NewPack(name: name, sex: sex, ageMin: ageMin, ageMax: ageMax,
                pairs: [PackPair(number: 1, ori: "x_00001_ori.jpg", inv: "x_00001_inv.jpg")])
    }

    func reply(pack: Int64, no: String) -> NewReply {
        NewReply(packID: pack, name: "홍길동", email: "a@b.kr", no: no, sex: 1, age: 25,
                 phone: "010-1234-5678", answers: "[]", layout: .leftRight, submissionID: nil)
    }
}
