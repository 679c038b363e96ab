import Foundation
import XCTest
@testable import Psyx

/// `/api/admin/list`'s answer is reused while the database is unchanged, and refreshed after any
/// commit: through the store, or by another connection.
extension StoreScenarios {
    func reusedListIsIdenticalAndDoesNotRender() throws {
        let (fixture, routes) = try listFixture()
        _ = try fixture.store.createPack(listPack("female20s", sex: 2), beforeCommit: {})
        _ = try fixture.store.createPack(listPack("male20s", sex: 1), beforeCommit: {})
        let first = try list(routes)
        XCTAssertEqual(routes.listAnswer.renders, 1)
        for _ in 0..<5 {
            XCTAssertEqual(try list(routes), first)
        }
        XCTAssertEqual(routes.listAnswer.renders, 1, "an unchanged database must not be queried again")
    }

    func listIsTodaysRendering() throws {
        let (fixture, routes) = try listFixture()
        let store = fixture.store
        XCTAssertEqual(text(try list(routes)), "[]")
        _ = try store.createPack(listPack("f \"q\"", sex: 2), beforeCommit: {})
        let male = try store.createPack(listPack("m", sex: 1, 30, 39), beforeCommit: {})
        XCTAssertEqual(try store.insertReply(reply(pack: male, no: "1")), .inserted(1))
        let dates = try store.packSummaries().map(\.date)
        let settings = #""settings":{"time_limit":3.0}"#  // the defaults left out
        let expected = #"[{"p_id":1,"pack_name":"f \"q\"","sex":2,"age_min":20,"age_max":29,"date":"\#(dates[0])","count":0,"open":true,"#
            + settings + "},"
            + #"{"p_id":2,"pack_name":"m","sex":1,"age_min":30,"age_max":39,"date":"\#(dates[1])","count":1,"open":true,"# + settings + "}]"
        XCTAssertEqual(text(try list(routes)), expected)
        XCTAssertEqual(text(try list(routes)), expected, "the reused bytes")
        XCTAssertEqual(try list(routes), ExperimentRoutes.listJSON(try store.packSummaries(), timeLimit: 3))
    }

    func createSubmitAndRemoveThroughTheStoreRefreshTheList() throws {
        let (fixture, routes) = try listFixture()
        let store = fixture.store
        let id = try store.createPack(listPack("a", sex: 2), beforeCommit: {})
        XCTAssertEqual(try summaries(routes).map(\.name), ["a"])
        let other = try store.createPack(listPack("b", sex: 1), beforeCommit: {})
        XCTAssertEqual(try summaries(routes).map(\.name), ["a", "b"])
        XCTAssertEqual(try store.insertReply(reply(pack: id, no: "7")), .inserted(1))
        XCTAssertEqual(try summaries(routes).map(\.count), [1, 0])
        XCTAssertNotNil(try store.removePack(id: other))
        XCTAssertEqual(try summaries(routes).map(\.name), ["a"])
        XCTAssertEqual(routes.listAnswer.renders, 4)
        _ = try summaries(routes)
        XCTAssertEqual(routes.listAnswer.renders, 4)
    }

    func failedWriteThroughTheStoreStillServesTheSameList() throws {
        let (fixture, routes) = try listFixture()
        _ = try fixture.store.createPack(listPack("a", sex: 2), beforeCommit: {})
        let before = try list(routes)
        XCTAssertThrowsError(try fixture.store.createPack(listPack("a", sex: 1, 50, 60), beforeCommit: {}))
        XCTAssertThrowsError(try fixture.store.createPack(listPack("c", sex: 1), beforeCommit: { throw StoreError.failure("no") }))
        XCTAssertEqual(try list(routes), before)
    }

    func writeBySeparateConnectionRefreshesTheList() throws {
        let (fixture, routes) = try listFixture()
        _ = try fixture.store.createPack(listPack("a", sex: 2), beforeCommit: {})
        XCTAssertEqual(try summaries(routes).map(\.name), ["a"])
        try fixture.execute("UPDATE packs SET pack_name = 'renamed', reply_count = 3 WHERE p_id = 1")
        XCTAssertTrue(try fixture.soon { try summaries(routes).map(\.name) == ["renamed"] })
        XCTAssertEqual(try summaries(routes).map(\.count), [3])
        XCTAssertEqual(routes.listAnswer.renders, 2)
        try fixture.execute("UPDATE packs SET reply_count = 4 WHERE p_id = 1")
        XCTAssertTrue(try fixture.soon { try summaries(routes).map(\.count) == [4] }, "a change of the count alone")
        XCTAssertEqual(routes.listAnswer.renders, 3)
    }

    func dataVersionMovesOnlyOnCommits() throws {
        let store = try makeFixture().store
        let start = try XCTUnwrap(try store.dataVersion())
        _ = try store.packSummaries()
        XCTAssertEqual(try store.dataVersion(), start, "reads change nothing")
        _ = try store.createPack(listPack("a", sex: 2), beforeCommit: {})
        let created = try XCTUnwrap(try store.dataVersion())
        XCTAssertNotEqual(created, start)
        XCTAssertEqual(try store.dataVersion(), created)
        XCTAssertThrowsError(try store.createPack(listPack("b", sex: 1), beforeCommit: { throw StoreError.failure("no") }))
        XCTAssertEqual(try store.dataVersion(), created, "a rolled-back write changes nothing")
    }

    // MARK: Helpers

    func listFixture() throws -> (StoreFixture, ExperimentRoutes) {
        let fixture = try makeFixture()
        let routes = ExperimentRoutes(store: fixture.store, data: DataDirectory(fixture.directory), packSize: 2, timeLimit: 3,
                                      log: RequestLog(directory: fixture.directory + "/logs"))
        return (fixture, routes)
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

    func listPack(_ name: String, sex: Int, _ ageMin: Int = 20, _ ageMax: Int = 29) -> NewPack {
        NewPack(name: name, sex: sex, ageMin: ageMin, ageMax: ageMax,
                pairs: [PackPair(number: 1, ori: "x_00001_ori.jpg", inv: "x_00001_inv.jpg")])
    }
}
