import Foundation
import PsyxTestSupport
import XCTest
@testable import Psyx

/// A live data directory made by the real Application — two packs and a few replies — and scratch
/// folders beside it for backups and restores, removed at the end.
final class BackupFixture {
    let app: AppHarness
    let scratch: String

    init() throws {
        app = try AppHarness(packSize: 3)
        scratch = NSTemporaryDirectory() + "psyx-backup-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        XCTAssertEqual(app.upload(PackFixture(name: "female20s", pairs: 3).body()).status, 200)
        var male = PackFixture(name: "male20s", pairs: 3)
        male.sex = "1"
        // A base face lives in the pack folder beside the pairs: it is backed up with them.
        let ramp = GreyImage(width: 8, height: 8, pixels: (0..<64).map { UInt8($0 * 4) })
        male.extraFiles = [("faces/base.png", try PNGEncoder.encode(ramp))]
        // Its settings, and its replies' recruitment IDs and input, are backed up with them too.
        male.extraFields = [("touch", "1"), ("time_limit", "2.5"), ("question_en", "Which?"), ("completion_code", "DONE-1")]
        XCTAssertEqual(app.upload(male.body()).status, 200)
        for index in 0..<3 { try submit(no: "Fq\(index)", sex: 2) }
        for index in 0..<2 { try submit(no: "Mq\(index)", sex: 1) }
        let consent = app.call("POST", "/api/admin/settings", body: Array("id=2&consent=Later%20text.".utf8),
                               contentType: "application/x-www-form-urlencoded")
        XCTAssertEqual(consent.status, 200, consent.text)
        let csv = app.call("GET", "/api/admin/download", query: "id=2&format=csv").text
        XCTAssertTrue(csv.contains(",Mq0,,,,hit-Mq0,,,touch\n"), "the fixture's replies carry what schema 5 added")
    }

    deinit {
        try? FileManager.default.removeItem(atPath: scratch)
    }

    /// One participant through start and submit.
    func submit(no: String, sex: Int) throws {
        var participant = ParticipantFixture(no: no, sex: sex, age: 25)
        participant.name = "홍길동"
        let started = app.json("POST", "/api/reply/start", participant.details)
        let answer = try XCTUnwrap(try started.json() as? [String: Any], started.text)
        let pairs = try XCTUnwrap(answer["pic_pairs"] as? [[String]])
        let packID = try XCTUnwrap(answer["p_id"] as? Int)
        var body = participant.submit(packID: packID, pairs: pairs)
        if sex == 1 {
            body["recruitment"] = ["pid": no, "hitId": "hit-\(no)"]
            body["input"] = "touch"
        }
        let submitted = app.json("POST", "/api/reply/submit", body)
        XCTAssertEqual(submitted.text, "Reply Submitted.")
    }

    var data: DataDirectory { app.application.data }

    func backup(_ name: String = "backup", beforePackCopy: @escaping (PackRow) -> Void = { _ in }) throws -> BackupCommand.Outcome {
        var command = BackupCommand(data: data, destination: scratch + "/" + name)
        command.beforePackCopy = beforePackCopy
        return try command.run()
    }

    func restore(_ name: String = "backup", into target: String? = nil) throws -> RestoreCommand.Outcome {
        try RestoreCommand(source: scratch + "/" + name, data: DataDirectory(target ?? scratch + "/restored")).run()
    }

    /// The list and every download of every pack (JSON and CSV), as bytes.
    static func answers(_ app: AppHarness) -> [String: [UInt8]] {
        var answers = ["list": app.call("GET", "/api/admin/list").body]
        for id in 1...2 {
            answers["json \(id)"] = app.call("GET", "/api/admin/download", query: "id=\(id)").body
            answers["csv \(id)"] = app.call("GET", "/api/admin/download", query: "id=\(id)&format=csv").body
        }
        return answers
    }

    /// Every entry under `path`, relative, sorted (folders end in `/`).
    static func tree(_ path: String) -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: path) else { return [] }
        var entries: [String] = []
        while let entry = enumerator.nextObject() as? String {
            var isFolder: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: path + "/" + entry, isDirectory: &isFolder)
            entries.append(entry + (isFolder.boolValue ? "/" : ""))
        }
        return entries.sorted()
    }

    /// Runs a program in `folder`; its exit status and output.
    static func run(_ arguments: [String], in folder: String) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: folder)
        let output = folder + "/../run-\(UUID().uuidString).out"
        _ = FileManager.default.createFile(atPath: output, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: output) }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        process.waitUntilExit()
        try handle.close()
        return (process.terminationStatus, try String(contentsOfFile: output, encoding: .utf8))
    }
}
