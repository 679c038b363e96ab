import FastCGI
import Foundation
import PsyxTestSupport
import XCTest
@testable import Psyx

/// `format=psychds` (issue 20, item 7) and the streaming zip writer behind it, checked by
/// Python's own `zipfile` and the Psych-DS rules (Tests/PsyxTests/python/psychds_check.py).
final class PsychDSExportTests: XCTestCase {
    private var scratch = ""

    override func setUpWithError() throws {
        scratch = NSTemporaryDirectory() + "psyx-psychds-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(atPath: scratch) }

    private func check(_ zip: [UInt8], expectedCSV: [UInt8]? = nil) throws -> [String: Any] {
        try Data(zip).write(to: URL(fileURLWithPath: scratch + "/export.zip"))
        var arguments = [Self.script, scratch + "/export.zip"]
        if let expectedCSV {
            try Data(expectedCSV).write(to: URL(fileURLWithPath: scratch + "/expected.csv"))
            arguments.append(scratch + "/expected.csv")
        }
        let output = try AnalysisScienceTests.python(arguments)
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any], output)
    }

    private static var script: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("python/psychds_check.py").path
    }

    func testDownloadIsAValidPsychDSDatasetHoldingTheCSV() throws {
        let app = try AppHarness(packSize: 3)
        XCTAssertEqual(app.upload(PackFixture(name: "female_20s", pairs: 3).body()).status, 200)
        for index in 0..<4 {
            let no = "p\(index)"
            let pairs = try XCTUnwrap(try app.json("POST", "/api/reply/start", Participants.details(no: no)).json() as? [String: Any])["pic_pairs"]
            let submitted = app.json("POST", "/api/reply/submit",
                                     Participants.submit(packID: 1, pairs: try XCTUnwrap(pairs as? [[String]]), no: no))
            XCTAssertEqual(submitted.text, "Reply Submitted.")
        }
        let answer = app.call("GET", "/api/admin/download", query: "id=1&format=psychds")
        XCTAssertEqual(answer.status, 200, answer.text)
        XCTAssertEqual(answer.header("Content-Type"), "application/zip")
        XCTAssertEqual(answer.header("Content-Disposition"), "attachment; filename=\"1-psychds.zip\"")
        let csv = app.call("GET", "/api/admin/download", query: "id=1&format=csv").body
        let report = try check(answer.body, expectedCSV: csv)
        XCTAssertEqual(report["data_file"] as? String, "data/study-female20s_data.csv", "keyword values are letters and digits")
        XCTAssertEqual(report["rows"] as? Int, 12)
        XCTAssertEqual(report["columns"] as? [String], PsychDSExport.variables.map(\.name))
        XCTAssertEqual(report["entries"] as? [String], ["dataset_description.json", "data/study-female20s_data.csv"])

        // A pack without replies: the header row alone, still a valid dataset.
        let fresh = try AppHarness(packSize: 3)
        XCTAssertEqual(fresh.upload(PackFixture(name: "empty", pairs: 3).body()).status, 200)
        XCTAssertEqual(try check(fresh.call("GET", "/api/admin/download", query: "id=1&format=psychds").body)["rows"] as? Int, 0)
    }

    /// The dataset and the JSON download state the task the replies were given under: the pack's
    /// own question and time limit (issue 20 item 8), else the defaults.
    func testDownloadsStateThePacksTask() throws {
        let app = try AppHarness(packSize: 3)
        var own = PackFixture(name: "own", pairs: 3)
        own.extraFields = [("question_en", "Which face looks kinder?"), ("question_ko", "어느 얼굴이 더 친절해 보입니까?"),
                           ("time_limit", "2.5"), ("touch", "1")]
        XCTAssertEqual(app.upload(own.body()).status, 200)
        var plain = PackFixture(name: "plain", pairs: 3)
        plain.sex = "1"
        XCTAssertEqual(app.upload(plain.body()).status, 200)

        let download = try XCTUnwrap(try app.call("GET", "/api/admin/download", query: "id=1").json() as? [String: Any])
        let settings = try XCTUnwrap(download["settings"] as? [String: Any])
        XCTAssertEqual(settings["time_limit"] as? Double, 2.5)
        XCTAssertEqual((settings["question"] as? [String: String])?["en"], "Which face looks kinder?")
        XCTAssertEqual(settings["touch"] as? Bool, true)
        XCTAssertEqual((download["replies"] as? [Any])?.count, 0)

        let store = try SQLiteStore(path: app.directory + "/psyx.sqlite3")
        let task = { (id: Int64) throws -> String in
            let pack = try XCTUnwrap(try store.pack(id: id))
            return PsychDSExport(export: ReplyExport(store: store, pack: pack, replyCount: 0, serverTimeLimit: 3),
                                 date: Date()).task(of: pack)
        }
        XCTAssertEqual(try task(1), "Participants chose one face of each pair within 2.5 s per pair (keys F/J, or a tap on a face), "
                       + "asked: \u{201C}Which face looks kinder?\u{201D} / \u{201C}어느 얼굴이 더 친절해 보입니까?\u{201D}.")
        XCTAssertEqual(try task(2), "Participants chose, within 3.0 s per pair (keys F/J), the face that looked more like them.")
    }

    /// Over a megabyte in uneven pieces: several deflate buffers and a data descriptor per entry,
    /// and the bytes come back out exactly.
    func testZipWriterStreamsLargeEntriesExactly() throws {
        var generator = SeededGenerator(seed: 7)
        let rows = (0..<40_000).map { index in "\(index),\(generator.next() % 1000),x\n" }.joined()
        let payload = Array(("r_id,p_id,key\n" + rows).utf8)
        let sink = CollectingSink()
        let zip = ZipWriter(sink: sink, date: Date(timeIntervalSince1970: 1_800_000_000))
        let description = PsychDSExport.variables.prefix(2).map(\.name) + ["key"]
        try zip.addFile("dataset_description.json") { entry in
            let measured = description.map { #""\#($0)""# }.joined(separator: ",")
            try entry.write(Array(#"{"@context":"https://schema.org/","@type":"Dataset","name":"n","description":"d","variableMeasured":[\#(measured)]}"#.utf8))
        }
        try zip.addFile("data/study-big_data.csv") { entry in
            var start = 0, step = 1
            while start < payload.count {
                let end = min(start + step, payload.count)
                try entry.write(Array(payload[start..<end]))
                start = end
                step = step * 3 % 70_001 + 1
            }
        }
        try zip.finish()
        let report = try check(sink.bytes, expectedCSV: payload)
        XCTAssertEqual(report["rows"] as? Int, 40_000)
        XCTAssertLessThan(sink.bytes.count, payload.count / 2, "deflated")
    }

    /// An unknown format names itself; psychds is not taken for any other.
    func testUnknownFormatIsRefused() throws {
        let app = try AppHarness(packSize: 3)
        XCTAssertEqual(app.upload(PackFixture(name: "p", pairs: 3).body()).status, 200)
        XCTAssertEqual(app.call("GET", "/api/admin/download", query: "id=1&format=psych-ds").sentence, "Invalid Format: psych-ds")
    }
}
