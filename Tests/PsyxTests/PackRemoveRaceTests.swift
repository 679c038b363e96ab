import FastCGI
import Foundation
import PsyxTestSupport
import XCTest
@testable import Psyx

/// Remove and create of the same pack name (issue 17, item 8): remove's folder leaves `packs/`
/// inside its transaction, so a create that commits right after remove's commit keeps its folder.
final class PackRemoveRaceTests: XCTestCase {
    /// A store that runs `afterRemoveCommit` the moment a removal has committed, before
    /// the route that asked for it goes on: the window the race needs, made certain.
    private final class CommitWindowStore: ExperimentStore, @unchecked Sendable {
        let base: any ExperimentStore
        var afterRemoveCommit: () -> Void = {}
        init(_ base: any ExperimentStore) { self.base = base }

        func removePack(id: Int64, beforeCommit: (PackSummary) throws -> Void) throws -> PackSummary? {
            let removed = try base.removePack(id: id, beforeCommit: beforeCommit)
            afterRemoveCommit()
            return removed
        }
        func packSummaries() throws -> [PackSummary] { try base.packSummaries() }
        func pack(id: Int64) throws -> Pack? { try base.pack(id: id) }
        func suitablePack(sex: Int, age: Int) throws -> Pack? { try base.suitablePack(sex: sex, age: age) }
        func createPack(_ pack: NewPack, beforeCommit: () throws -> Void) throws -> Int64 {
            try base.createPack(pack, beforeCommit: beforeCommit)
        }
        func packNames() throws -> Set<String> { try base.packNames() }
        func hasReply(packID: Int64, participantNo: String) throws -> Bool { try base.hasReply(packID: packID, participantNo: participantNo) }
        func insertReply(_ reply: NewReply) throws -> ReplyInsertOutcome { try base.insertReply(reply) }
        func forEachReply(packID: Int64, _ body: (ReplyRecord) throws -> Void) throws { try base.forEachReply(packID: packID, body) }
        func replyCount(packID: Int64) throws -> Int { try base.replyCount(packID: packID) }
        func ping() throws { try base.ping() }
        func dataVersion() throws -> Int64? { try base.dataVersion() }
        func setPackOpen(id: Int64, open: Bool) throws -> PackSummary? { try base.setPackOpen(id: id, open: open) }
        func replies(matching selector: ReplySelector) throws -> Withdrawal { try base.replies(matching: selector) }
        func withdrawReplies(_ selector: ReplySelector, beforeCommit: (Withdrawal) throws -> Void) throws -> Withdrawal {
            try base.withdrawReplies(selector, beforeCommit: beforeCommit)
        }
        func replyState(packID: Int64) throws -> ReplyState { try base.replyState(packID: packID) }
        func setPackSettings(id: Int64, _ change: PackSettingsChange) throws -> PackSummary? { try base.setPackSettings(id: id, change) }
        func pack(named name: String) throws -> Pack? { try base.pack(named: name) }
        func submittedReply(submissionID: String) throws -> (packID: Int64, recruitment: String)? {
            try base.submittedReply(submissionID: submissionID)
        }
    }

    func testCreateRightAfterRemoveCommitsKeepsItsFolder() throws {
        let directory = NSTemporaryDirectory() + "psyx-race-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let data = DataDirectory(directory)
        try data.prepare()
        try createRightAfterRemoveCommitsKeepsItsFolder(data, CommitWindowStore(try SQLiteStore(path: data.database)))
    }

    func testCreateRightAfterRemoveCommitsKeepsItsFolderOnPostgreSQL() throws {
        let directory = NSTemporaryDirectory() + "psyx-race-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let data = DataDirectory(directory)
        try data.prepare()
        let schema = try PostgreSQLTestSchema()
        try createRightAfterRemoveCommitsKeepsItsFolder(data, CommitWindowStore(try PostgreSQLStore(connection: schema.info)))
    }

    private func createRightAfterRemoveCommitsKeepsItsFolder(_ data: DataDirectory, _ store: CommitWindowStore) throws {
        let log = RequestLog(directory: data.logs)
        var router = Router()
        ExperimentRoutes(store: store, data: data, packSize: 3, timeLimit: 3, log: log).register(in: &router)
        let responder = PsyxResponder(router: router, log: log)

        func call(_ method: String, _ path: String, query: String = "", body: PackFixtureBody? = nil) -> Response {
            responder.respond(to: Request(params: Params([
                "REQUEST_METHOD": method, "DOCUMENT_URI": path, "REQUEST_URI": path, "QUERY_STRING": query,
                "CONTENT_LENGTH": body.map { String($0.bytes.count) } ?? "", "CONTENT_TYPE": body?.contentType ?? "",
                "REMOTE_USER": "admin",
            ]), body: RequestBody(body?.bytes ?? [])))
        }

        let fixture = PackFixture(name: "same", pairs: 3)
        XCTAssertEqual(call("POST", "/api/admin/create", body: fixture.body()).status, 200)
        var recreated: Response?
        store.afterRemoveCommit = {
            store.afterRemoveCommit = {}
            recreated = call("POST", "/api/admin/create", body: fixture.body())
        }
        XCTAssertEqual(call("POST", "/api/admin/remove", query: "id=1").status, 200)

        XCTAssertEqual(recreated?.status, 200, "the second create must have run inside the window")
        XCTAssertEqual(try store.packSummaries().map(\.id), [2])
        let files = (try? FileManager.default.contentsOfDirectory(atPath: data.packs + "/same")) ?? []
        XCTAssertEqual(files.sorted(), fixture.fileNames.sorted(), "pack 2 lost its folder to pack 1's removal")
        XCTAssertEqual((try? FileManager.default.contentsOfDirectory(atPath: data.staging))?.filter { $0.hasPrefix("removed-") }, [])
    }
}
