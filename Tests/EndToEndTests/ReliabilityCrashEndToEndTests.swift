#if canImport(Glibc)
import Glibc
#endif
import Foundation
import PsyxTestSupport
import Synchronization
import XCTest

/// Crash safety (issue 6): psyx killed with SIGKILL in the middle of work, then
/// restarted on the same data directory, loses nothing it acknowledged and
/// leaves nothing half-done behind.
final class ReliabilityCrashEndToEndTests: EndToEndTestCase {
    static let clients = 50
    /// Submits acknowledged before the kill: about the middle of the run.
    static let killAfter = 20

    /// 50 participants start, then submit at once; psyx is killed after about 20
    /// acknowledgements. After a restart every acknowledged reply is stored, none
    /// twice, the database is consistent, and the unacknowledged ones can simply
    /// retry with their submission id.
    func testKillDuringConcurrentSubmitsLosesNoAcknowledgedReply() throws {
        try killDuringConcurrentSubmits(database: [:])
    }

    /// The same with psyx on PostgreSQL: an acknowledged reply was committed durably by the server.
    func testKillDuringConcurrentSubmitsLosesNoAcknowledgedReplyOnPostgreSQL() throws {
        try onPostgreSQL { try killDuringConcurrentSubmits(database: $0) }
    }

    /// `database`: the PSYX_DATABASE setting for psyx serve, or none for SQLite (then checked with
    /// SQLite's integrity check; PostgreSQL's consistency is the server's own).
    private func killDuringConcurrentSubmits(database: [String: String]) throws {
        let onSQLite = database.isEmpty
        let stack = try startStack(environment: database.merging(["PSYX_PACK_SIZE": "5"]) { $1 })
        let client = ExperimentClient(stack: stack)
        let fixture = PackFixture(name: "crash", pairs: 5)
        let created = try client.upload(fixture.body())
        XCTAssertEqual(created.status, 200, created.text)

        let http = ReliabilityHTTP(port: stack.port)
        let acknowledged = Acknowledgements()
        let pid = stack.psyxPID
        let killer = ReliabilityThreads.Background { () -> Int in
            let deadline = Date().addingTimeInterval(30)
            while acknowledged.count.load(ordering: .relaxed) < Self.killAfter && Date() < deadline { usleep(500) }
            kill(pid, SIGKILL)
            return acknowledged.count.load(ordering: .relaxed)
        }
        // Each client: start; once all have started, submit with its own `no` and submission id
        // (spread over about 100 ms, so that submits are in flight whenever the kill lands).
        let outcomes = ReliabilityThreads.run(Self.clients) { index -> [Int] in
            let participant = Self.participant(index)
            let started = try? http.post("/api/reply/start", json: participant.details)
            acknowledged.started.add(1, ordering: .relaxed)
            while acknowledged.started.load(ordering: .relaxed) < Self.clients { usleep(200) }
            guard let started else { return [-1] }
            guard started.status == 200, let object = started.json as? [String: Any],
                  let pairs = object["pic_pairs"] as? [[String]] else { return [started.status] }
            usleep(UInt32(index) * 2_000)
            let body = participant.submit(packID: 1, pairs: pairs, submissionID: Self.submissionID(index))
            guard let submitted = try? http.post("/api/reply/submit", json: body) else { return [200, -1] }
            if submitted.status == 200 && submitted.text == "Reply Submitted." {
                acknowledged.count.add(1, ordering: .relaxed)
            }
            return [200, submitted.status]
        }
        let ackedAtKill = try XCTUnwrap(killer.wait(), "the killer thread did not finish")
        try ReliabilityProbe.endPsyx(stack)   // already killed: waits until it is gone

        let acked = Set(outcomes.indices.filter { outcomes[$0] == [200, 200] })
        XCTAssertGreaterThanOrEqual(acked.count, Self.killAfter, "\(outcomes)")
        XCTAssertLessThan(acked.count, Self.clients, "psyx was killed only after every client was done: \(outcomes)")

        let restartStarted = Date()
        try stack.restartPsyx()
        let restartSeconds = Date().timeIntervalSince(restartStarted)
        if onSQLite { XCTAssertEqual(try ReliabilityProbe.integrityCheck(stack), "ok") }

        let stored = try storedParticipantNumbers(client)
        XCTAssertEqual(stored.count, Set(stored).count, "a reply is stored twice: \(stored.sorted())")
        let missing = acked.map { Self.participant($0).no }.filter { !stored.contains($0) }
        XCTAssertEqual(missing, [], "acknowledged replies lost in the crash")
        XCTAssertTrue(Set(stored).isSubset(of: Set((0..<Self.clients).map { Self.participant($0).no })))

        // The others retry as the experiment page does: the same submission id, answered 200 once stored.
        let answers = (1...5).map { [PackFixture.fileName($0, "ori"), PackFixture.fileName($0, "inv")] }
        for index in 0..<Self.clients where !acked.contains(index) {
            let body = Self.participant(index).submit(packID: 1, pairs: answers, submissionID: Self.submissionID(index))
            let retried = try http.post("/api/reply/submit", json: body)
            XCTAssertEqual(retried.status, 200, "retry of client \(index): \(retried.text)")
        }
        let final = try storedParticipantNumbers(client)
        XCTAssertEqual(final.count, Self.clients)
        XCTAssertEqual(Set(final).count, Self.clients)
        if onSQLite { XCTAssertEqual(try ReliabilityProbe.integrityCheck(stack), "ok") }
        XCTAssertEqual(try client.list().first?["count"] as? Int, Self.clients, "the kept count agrees with the rows")

        ReliabilityProbe.report(onSQLite ? "kill-during-submits" : "kill-during-submits-postgresql", [
            "clients": Self.clients, "acknowledged_at_kill_signal": ackedAtKill, "acknowledged": acked.count,
            "stored_after_restart": stored.count, "stored_unacknowledged": stored.count - acked.count,
            "lost": missing.count, "duplicated": stored.count - Set(stored).count,
            "failed_502": outcomes.filter { $0.last == 502 }.count,
            "restart_seconds": String(format: "%.2f", restartSeconds), "after_retries": final.count,
        ])
    }

    /// A 600-image upload (60 MB) killed while psyx writes it into its staging
    /// folder: after the restart no row, no pack folder, no staging or spool
    /// leftovers, and the very same upload succeeds.
    func testKillDuringPackUploadLeavesNothingAndTheSameUploadThenSucceeds() throws {
        let stack = try startStack()
        let client = ExperimentClient(stack: stack)
        var fixture = PackFixture(name: "bigpack", pairs: 300)
        var images: [String: [UInt8]] = [:]
        for name in fixture.fileNames { images[name] = try ReliabilityProbe.bulkyJPEG(100_000) }
        fixture.imageBytes = { number, side in images[PackFixture.fileName(number, side)] ?? [] }
        let body = fixture.body()
        let http = ReliabilityHTTP(port: stack.port, credentials: TestStack.developmentAccount)
        let bytes = body.bytes
        let contentType = body.contentType

        let upload = ReliabilityThreads.Background { () -> Int in
            (try? http.request("POST", "/api/admin/create", headers: ["Content-Type: \(contentType)"], body: bytes))?.status ?? -1
        }
        // Kill once the staging folder holds a good part of the images.
        var stagedAtKill = 0
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline {
            if let folder = ReliabilityProbe.entries(stack, "staging").first(where: { $0.hasPrefix("upload-") }) {
                stagedAtKill = ReliabilityProbe.entries(stack, "staging/" + folder).count
                if stagedAtKill >= 100 { break }
            }
            usleep(2_000)
        }
        XCTAssertGreaterThanOrEqual(stagedAtKill, 100, "the upload never reached the staging folder")
        try ReliabilityProbe.endPsyx(stack)
        let answered = upload.wait(seconds: 60)
        XCTAssertEqual(answered, 502, "the killed upload must not have been acknowledged")

        // What the crash left: a half-filled staging folder and the spooled body.
        let stagingLeft = ReliabilityProbe.entries(stack, "staging")
        let spoolLeft = ReliabilityProbe.entries(stack, "spool")
        XCTAssertEqual(stagingLeft.count, 1, "\(stagingLeft)")
        XCTAssertEqual(ReliabilityProbe.entries(stack, "packs"), [])

        try stack.restartPsyx()
        XCTAssertEqual(ReliabilityProbe.entries(stack, "staging"), [], "a stale staging folder survived the restart")
        XCTAssertEqual(ReliabilityProbe.entries(stack, "spool"), [])
        XCTAssertEqual(ReliabilityProbe.entries(stack, "packs"), [])
        XCTAssertEqual(try client.list().count, 0)
        XCTAssertEqual(try client.rowCounts(), "packs=0 pack_pairs=0 replies=0")
        XCTAssertEqual(try ReliabilityProbe.integrityCheck(stack), "ok")

        let started = Date()
        let again = try http.request("POST", "/api/admin/create", headers: ["Content-Type: \(contentType)"], body: bytes)
        let uploadSeconds = Date().timeIntervalSince(started)
        XCTAssertEqual(again.status, 200, again.text)
        XCTAssertTrue(again.text.hasPrefix("Pack ") && again.text.hasSuffix(" Added."), again.text)
        let folder = stack.dataDirectory.appendingPathComponent("packs/bigpack")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted(), fixture.fileNames.sorted())
        let first = PackFixture.fileName(1, "ori")
        XCTAssertEqual(try [UInt8](Data(contentsOf: folder.appendingPathComponent(first))), images[first])
        XCTAssertEqual(try client.rowCounts(), "packs=1 pack_pairs=300 replies=0")
        XCTAssertEqual(ReliabilityProbe.entries(stack, "staging"), [])

        ReliabilityProbe.report("kill-during-upload", [
            "body_mb": bytes.count / 1_000_000, "staged_files_at_kill": stagedAtKill, "answer_to_killed_upload": answered ?? -1,
            "staging_left_by_crash": stagingLeft.count, "spool_left_by_crash": spoolLeft.count,
            "after_restart_staging": 0, "pack_rows_after_restart": 0,
            "same_upload_after_restart": again.status, "upload_seconds": String(format: "%.1f", uploadSeconds),
        ])
    }

    // MARK: - Helpers

    private final class Acknowledgements: Sendable {
        let started = Atomic<Int>(0)
        let count = Atomic<Int>(0)
    }

    static func participant(_ index: Int) -> ParticipantFixture {
        ParticipantFixture(no: "K\(100_000 + index)", sex: 2, age: 25)
    }

    static func submissionID(_ index: Int) -> String {
        "crash-test-\(100_000 + index)"
    }

    /// The `no` of every stored reply of pack 1, from the JSON download.
    private func storedParticipantNumbers(_ client: ExperimentClient) throws -> [String] {
        let download = try client.admin("GET", "/api/admin/download?id=1")
        XCTAssertEqual(download.status, 200, download.text)
        let pack = try XCTUnwrap(download.json as? [String: Any], download.text)
        let replies = try XCTUnwrap(pack["replies"] as? [[String: Any]])
        return replies.compactMap { $0["no"] as? String }
    }
}
