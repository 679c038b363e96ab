#if canImport(Glibc)
import Glibc
#endif
import Foundation
import PsyxTestSupport
@testable import Psyx
import XCTest

/// `psyx backup` on a live stack under a stream of submits through Nginx, `psyx restore` into a fresh
/// directory, and the stack's psyx restarted on it (issue 20 item 6): every download of the restored
/// server is byte for byte what the live server gave for the replies the snapshot holds.
final class BackupEndToEndTests: EndToEndTestCase {
    func testBackupUnderSubmitsRestoresTheSameBytesAndServes() throws {
        let stack = try startStack(environment: ["PSYX_PACK_SIZE": "3"])
        let client = ExperimentClient(stack: stack)
        XCTAssertEqual(try client.upload(PackFixture(name: "stream", pairs: 3).body()).status, 200)
        var quiet = PackFixture(name: "quiet", pairs: 3)
        quiet.sex = "1"
        XCTAssertEqual(try client.upload(quiet.body()).status, 200)
        for index in 0..<2 {
            let participant = ParticipantFixture(no: "Q\(index)", sex: 1, age: 25)
            let started = try client.start(participant)
            XCTAssertEqual(try client.post("/api/reply/submit", json: participant.submit(packID: started.packID, pairs: started.pairs)).status, 200)
        }

        let stream = SubmitStream(port: stack.port, workers: 3, sex: 2, age: 25)
        XCTAssertTrue(Wait.until(timeout: 60) { stream.acknowledged.count >= 20 }, "the stream did not get going: \(stream.problems)")
        let backup = stack.directory.appendingPathComponent("backup").path
        let cli = RelocationCLI(dataDirectory: stack.dataDirectory, scratch: stack.directory)
        // First as an operator runs it, without the test's pause: whatever it holds must be consistent.
        let ackedBeforePlain = Set(stream.acknowledged.map(\.no))
        let plain = stack.directory.appendingPathComponent("backup-plain").path
        let plainResult = try cli.run(["backup", plain])
        XCTAssertEqual(plainResult.status, 0, plainResult.standardError + plainResult.output)
        let launched = Date()
        let ackedBeforeLaunch = Set(stream.acknowledged.map(\.no))
        // The pause holds the snapshot back a second after the command started, so that submits sent
        // while `psyx backup` runs are certain to be in it.
        let backupResult = try cli.run(["backup", backup], environment: ["PSYX_BACKUP_PAUSE_MS": "1000"])
        let backupSeconds = Date().timeIntervalSince(launched)
        // A few more after the command ended, so the live pack certainly outgrows the snapshot.
        let ackedAtEnd = stream.acknowledged.count
        XCTAssertTrue(Wait.until(timeout: 30) { stream.acknowledged.count >= ackedAtEnd + 5 }, "the stream stalled")
        XCTAssertTrue(stream.stop(), "a stream worker hung")
        XCTAssertEqual(stream.problems, [], "the stream had failures")
        XCTAssertEqual(backupResult.status, 0, backupResult.standardError + backupResult.output)
        let summary = backupResult.output
        XCTAssertTrue(summary.contains("2 folders, 12 files"), summary)
        XCTAssertFalse(summary.contains("홍길동") || summary.contains("a@b.kr") || summary.contains("S0X"), "personal data in: \(summary)")
        let check = try Command.run("bash", ["-c", "cd '\(backup)' && sha256sum --strict --quiet -c SHA256SUMS"], scratch: stack.directory)
        XCTAssertEqual(check.status, 0, check.output + check.standardError)

        let live = try downloads(client)
        let submittedAfterStream = stream.all.count
        let liveIDs = try replyIDs(live["json 1"] ?? [])

        // The plain backup restores, and holds a prefix of the live replies by r_id.
        let plainData = stack.directory.appendingPathComponent("data-plain")
        let plainRestore = try RelocationCLI(dataDirectory: plainData, scratch: stack.directory).run(["restore", plain])
        XCTAssertEqual(plainRestore.status, 0, plainRestore.standardError + plainRestore.output)
        let plainIDs = try SQLiteDatabase(path: plainData.appendingPathComponent("psyx.sqlite3").path, mode: .readOnly)
            .withStatement("SELECT r_id FROM replies WHERE p_id = 1 ORDER BY r_id") { statement in
                var ids: [Int] = []
                while try statement.step() { ids.append(statement.int(at: 0)) }
                return ids
            }
        XCTAssertEqual(Array(liveIDs.prefix(plainIDs.count)), plainIDs, "the plain backup's replies are not a prefix of the live ones")
        XCTAssertGreaterThanOrEqual(plainIDs.count, ackedBeforePlain.count)

        // Stop the live psyx, move its data directory aside, restore into the now free path, restart.
        try ReliabilityProbe.endPsyx(stack, signal: SIGTERM)
        let liveData = stack.directory.appendingPathComponent("data-live").path
        XCTAssertEqual(rename(stack.dataDirectory.path, liveData), 0)
        let restoreResult = try RelocationCLI(dataDirectory: stack.dataDirectory, scratch: stack.directory).run(["restore", backup])
        XCTAssertEqual(restoreResult.status, 0, restoreResult.standardError + restoreResult.output)
        XCTAssertTrue(restoreResult.output.contains("every SHA-256 matches"), restoreResult.output)
        try stack.restartPsyx()
        let restored = try downloads(client)

        // The quiet pack and its downloads are exactly the live ones; the streamed pack's list row differs in count only.
        for key in ["json 2", "csv 2"] { XCTAssertEqual(restored[key], live[key], key) }
        let liveList = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(live["list"] ?? [])) as? [[String: Any]])
        let restoredList = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(restored["list"] ?? [])) as? [[String: Any]])
        XCTAssertEqual(restoredList.count, 2)
        for (was, now) in zip(liveList, restoredList) {
            for key in ["p_id", "pack_name", "sex", "age_min", "age_max", "date"] {
                XCTAssertEqual("\(was[key] ?? "")", "\(now[key] ?? "")", key)
            }
        }
        let restoredCount = try XCTUnwrap(restoredList[0]["count"] as? Int)
        let liveCount = try XCTUnwrap(liveList[0]["count"] as? Int)

        // The streamed pack: the restored replies are a prefix (by r_id) of the live ones, byte for byte.
        let (liveHead, liveReplies) = try split(live["json 1"] ?? [])
        let (restoredHead, restoredReplies) = try split(restored["json 1"] ?? [])
        XCTAssertEqual(String(decoding: restoredHead, as: UTF8.self),
                       String(decoding: liveHead, as: UTF8.self).replacingOccurrences(of: "\"count\":\(liveCount)", with: "\"count\":\(restoredCount)"))
        XCTAssertTrue(liveReplies == restoredReplies || liveReplies.starts(with: restoredReplies + Array(",".utf8)),
                      "the restored replies are not a prefix of the live ones")
        let liveCSV = live["csv 1"] ?? [], restoredCSV = restored["csv 1"] ?? []
        XCTAssertTrue(liveCSV.starts(with: restoredCSV), "the restored CSV is not a prefix of the live one")
        XCTAssertEqual(restoredCSV.last, UInt8(ascii: "\n"), "the restored CSV ends in a whole row")
        XCTAssertEqual(restoredCSV.filter { $0 == UInt8(ascii: "\n") }.count, 1 + 3 * restoredCount)

        // What the snapshot holds: every reply acknowledged before the command started, and some sent while it ran.
        let restoredNos = Set(try replyNumbers(restored["json 1"] ?? []))
        XCTAssertEqual(restoredNos.count, restoredCount)
        XCTAssertTrue(ackedBeforeLaunch.isSubset(of: restoredNos), "replies acknowledged before the backup are missing")
        let sentDuringBackup = Set(stream.all.filter { $0.sent > launched }.map(\.no))
        let heldFromDuringBackup = restoredNos.intersection(sentDuringBackup)
        XCTAssertFalse(heldFromDuringBackup.isEmpty, "no reply sent while psyx backup ran is in the snapshot")
        XCTAssertLessThan(restoredCount, liveCount, "the stream went on after the snapshot, so the live pack has more")

        // The restored server serves: an image through Nginx, a new participant's start and submit.
        let image = "/packs/stream/" + PackFixture.fileName(1, "ori")
        let served = try stack.http.request("GET", image)
        XCTAssertEqual(served.status, 200)
        XCTAssertEqual(served.body, try [UInt8](Data(contentsOf: URL(fileURLWithPath: liveData + image))))
        let newcomer = ParticipantFixture(no: "AFTER1", sex: 2, age: 25)
        let started = try client.start(newcomer)
        let submitted = try client.post("/api/reply/submit", json: newcomer.submit(packID: started.packID, pairs: started.pairs))
        XCTAssertEqual(submitted.text, "Reply Submitted.")
        XCTAssertEqual(try client.list()[0]["count"] as? Int, restoredCount + 1)
        XCTAssertEqual(try ReliabilityProbe.integrityCheck(stack), "ok")

        ReliabilityProbe.report("backup-under-submits", [
            "acknowledged_before_backup": ackedBeforeLaunch.count, "backup_seconds": String(format: "%.2f", backupSeconds),
            "replies_in_snapshot": restoredCount, "sent_during_backup_and_in_snapshot": heldFromDuringBackup.count,
            "live_replies_at_end": liveCount, "submits_sent": submittedAfterStream,
            "plain_backup_acknowledged_before": ackedBeforePlain.count, "plain_backup_replies": plainIDs.count,
        ])
    }

    /// The list and both packs' downloads (JSON and CSV), as bytes, through Nginx.
    private func downloads(_ client: ExperimentClient) throws -> [String: [UInt8]] {
        var answers: [String: [UInt8]] = [:]
        for (key, path) in [("list", "/api/admin/list"), ("json 1", "/api/admin/download?id=1"), ("csv 1", "/api/admin/download?id=1&format=csv"),
                            ("json 2", "/api/admin/download?id=2"), ("csv 2", "/api/admin/download?id=2&format=csv")] {
            let response = try client.admin("GET", path)
            guard response.status == 200 else { throw StackError("\(path) answered \(response.status): \(response.text)") }
            answers[key] = response.body
        }
        return answers
    }

    /// A JSON download split into the pack's fields and the bytes inside its `replies` array.
    private func split(_ body: [UInt8]) throws -> (head: [UInt8], replies: [UInt8]) {
        let marker = Array(#","replies":["#.utf8)
        guard let range = body.firstRange(of: marker), body.suffix(2) == Array("]}".utf8)[...] else {
            throw StackError("not a pack download: \(String(decoding: body.prefix(200), as: UTF8.self))")
        }
        return (Array(body[..<range.lowerBound]), Array(body[range.upperBound..<(body.count - 2)]))
    }

    private func replyIDs(_ body: [UInt8]) throws -> [Int] {
        let pack = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any])
        return try XCTUnwrap(pack["replies"] as? [[String: Any]]).compactMap { $0["r_id"] as? Int }
    }

    private func replyNumbers(_ body: [UInt8]) throws -> [String] {
        let pack = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any])
        return try XCTUnwrap(pack["replies"] as? [[String: Any]]).compactMap { $0["no"] as? String }
    }
}
