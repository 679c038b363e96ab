import Foundation
import PsyxTestSupport
import XCTest

/// The whole experiment through real Nginx with the default pack size (300 pairs,
/// 600 real JPEGs): create, list, start, images, submit, download JSON and CSV, remove.
final class ExperimentFlowEndToEndTests: EndToEndTestCase {
    func testWholeFlowWithAGeneratedPackOf600Images() throws {
        try wholeFlow(database: [:])
    }

    /// The same flow with psyx on PostgreSQL (`PSYX_DATABASE`, a schema of its own): the rows there,
    /// the pack folders in the data directory, nothing in SQLite.
    func testWholeFlowOnPostgreSQL() throws {
        try onPostgreSQL { try wholeFlow(database: $0) }
        XCTAssertFalse(FileManager.default.fileExists(atPath: try XCTUnwrap(stacks.last).dataDirectory
                                                        .appendingPathComponent("psyx.sqlite3").path),
                       "nothing was written to SQLite")
    }

    /// `database`: the PSYX_DATABASE setting for psyx serve, or none for SQLite.
    private func wholeFlow(database: [String: String]) throws {
        let stack = try startStack(environment: database)
        let client = ExperimentClient(stack: stack)

        // Create: the body as a browser sends a folder (folder prefix on each name), plus a skipped file.
        var fixture = PackFixture(name: "female20s", pairs: 300)
        fixture.extraFiles = [("faces/.DS_Store", [0, 1, 2, 3])]
        let created = try client.upload(fixture.body())
        XCTAssertEqual(created.status, 200, created.text)
        XCTAssertEqual(created.text, "Pack 1 Added.")
        XCTAssertEqual(created.header("content-type"), "text/plain; charset=utf-8")
        let packFolder = stack.dataDirectory.appendingPathComponent("packs/female20s")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: packFolder.path).sorted(), fixture.fileNames.sorted())
        XCTAssertEqual(try client.rowCounts(), "packs=1 pack_pairs=300 replies=0")

        // List: one pack, count 0, an ISO 8601 UTC date.
        let listed = try client.list()
        XCTAssertEqual(listed.count, 1)
        try assertPack(listed.first, count: 0)

        // Start: every pair once, both sides of a pair on the left somewhere, a fresh order each time.
        let participant = ParticipantFixture(no: "2020123456")
        let started = try client.start(participant)
        XCTAssertEqual(started.packID, 1)
        XCTAssertEqual(started.answer["pack_path"] as? String, "/packs/female20s")
        XCTAssertEqual((started.answer["time_limit"] as? NSNumber)?.doubleValue, 3.0)
        try assertEveryPairOnce(started.pairs)
        let oriLeft = started.pairs.filter { $0.first?.hasSuffix("_ori.jpg") == true }.count
        XCTAssertGreaterThan(oriLeft, 0, "no pair had its ori image on the left")
        XCTAssertLessThan(oriLeft, 300, "no pair had its inv image on the left")
        let other = try client.start(ParticipantFixture(no: "2020654321"))
        try assertEveryPairOnce(other.pairs)
        XCTAssertNotEqual(other.pairs.map { $0.sorted() }, started.pairs.map { $0.sorted() },
                          "two participants got the pairs in the same order")

        // Images: Nginx serves every file of the pack from pack_path.
        let packPath = try XCTUnwrap(started.answer["pack_path"] as? String)
        let imagePaths = started.pairs.flatMap { $0 }.map { packPath + "/" + $0 }
        let fetched = try client.fetchAll(imagePaths)
        XCTAssertEqual(fetched.count, 600)
        XCTAssertEqual(Set(fetched), ["200 image/jpeg \(TinyImages.jpeg.count)"])
        let one = try stack.http.request("GET", imagePaths[0])
        XCTAssertEqual(one.body, TinyImages.jpeg)

        // Submit 300 answers (F, J and timeouts); a retry with the same submission_id stores nothing new.
        let submit = participant.submit(packID: 1, pairs: started.pairs, submissionID: "flow-retry-0001")
        for _ in 0..<2 {
            let submitted = try client.post("/api/reply/submit", json: submit)
            XCTAssertEqual(submitted.status, 200, submitted.text)
            XCTAssertEqual(submitted.text, "Reply Submitted.")
        }
        try assertPack(try client.list().first, count: 1)
        XCTAssertEqual(try client.rowCounts(), "packs=1 pack_pairs=300 replies=1")

        try assertJSONDownload(client, participant: participant, pairs: started.pairs)
        try assertCSVDownload(client, pairs: started.pairs)

        // Remove: the row, its pairs and replies, the folder and the served images are gone.
        let removed = try client.admin("GET", "/api/admin/remove?id=1")
        XCTAssertEqual(removed.status, 200, removed.text)
        XCTAssertEqual(removed.text, "Pack 1 Deleted.")
        XCTAssertEqual(try client.list().count, 0)
        XCTAssertEqual(try client.rowCounts(), "packs=0 pack_pairs=0 replies=0")
        XCTAssertFalse(FileManager.default.fileExists(atPath: packFolder.path))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: stack.dataDirectory.appendingPathComponent("packs").path), [])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: stack.dataDirectory.appendingPathComponent("staging").path), [])
        XCTAssertEqual(Set(try client.fetchAll(Array(imagePaths.prefix(20))).map { $0.prefix(4) }), ["404 "])
        let gone = try client.admin("GET", "/api/admin/download?id=1")
        XCTAssertEqual(gone.status, 400)
        XCTAssertEqual(ExperimentClient.sentence(gone), "Pack 1 Not Found")
    }

    private func assertPack(_ pack: [String: Any]?, count: Int, line: UInt = #line) throws {
        let pack = try XCTUnwrap(pack, line: line)
        XCTAssertEqual(pack["p_id"] as? Int, 1, line: line)
        XCTAssertEqual(pack["pack_name"] as? String, "female20s", line: line)
        XCTAssertEqual(pack["sex"] as? Int, 2, line: line)
        XCTAssertEqual(pack["age_min"] as? Int, 20, line: line)
        XCTAssertEqual(pack["age_max"] as? Int, 29, line: line)
        XCTAssertEqual(pack["count"] as? Int, count, line: line)
        let date = try XCTUnwrap(pack["date"] as? String, line: line)
        XCTAssertNotNil(date.range(of: #"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$"#, options: .regularExpression), date, line: line)
    }

    private func assertEveryPairOnce(_ pairs: [[String]], line: UInt = #line) throws {
        XCTAssertEqual(pairs.count, 300, line: line)
        var numbers: [Int] = []
        for pair in pairs {
            XCTAssertEqual(pair.count, 2, line: line)
            let names = Set(pair)
            let number = Int(pair[0].dropFirst("rcic_".count).prefix(5)) ?? 0
            XCTAssertEqual(names, [PackFixture.fileName(number, "ori"), PackFixture.fileName(number, "inv")], line: line)
            numbers.append(number)
        }
        XCTAssertEqual(numbers.sorted(), Array(1...300), line: line)
        XCTAssertNotEqual(numbers, Array(1...300), "pairs came in file order, not shuffled", line: line)
    }

    private func assertJSONDownload(_ client: ExperimentClient, participant: ParticipantFixture, pairs: [[String]]) throws {
        let download = try client.admin("GET", "/api/admin/download?id=1")
        XCTAssertEqual(download.status, 200, download.text)
        XCTAssertEqual(download.header("content-type"), "application/json; charset=utf-8")
        XCTAssertEqual(download.header("content-disposition"), #"attachment; filename="1.json""#)
        let pack = try XCTUnwrap(download.json as? [String: Any], download.text)
        try assertPack(pack, count: 1)
        let replies = try XCTUnwrap(pack["replies"] as? [[String: Any]])
        XCTAssertEqual(replies.count, 1)
        let reply = try XCTUnwrap(replies.first)
        XCTAssertEqual(reply["p_id"] as? Int, 1)
        XCTAssertNotNil(reply["r_id"] as? Int)
        for (key, value) in participant.details {
            XCTAssertEqual("\(reply[key] ?? "missing")", "\(value)", key)
        }
        XCTAssertNotNil((reply["date"] as? String)?.range(of: #"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$"#, options: .regularExpression))
        let answers = try XCTUnwrap(reply["answers"] as? [[Any]])
        XCTAssertEqual(answers.count, 300)
        for (index, answer) in answers.enumerated() {
            let sent = ParticipantFixture.answer(index, pairs[index], keys: ["F", "J", " "])
            XCTAssertEqual(answer.count, 4)
            XCTAssertEqual(answer.first as? String, sent[0] as? String, "trial \(index + 1)")
            XCTAssertEqual((answer[1] as? NSNumber)?.doubleValue ?? -1, sent[1] as? Double ?? -2, accuracy: 1e-9)
            XCTAssertEqual(answer.dropFirst(2).compactMap { $0 as? String }, pairs[index], "trial \(index + 1)")
        }
    }

    private func assertCSVDownload(_ client: ExperimentClient, pairs: [[String]]) throws {
        let download = try client.admin("GET", "/api/admin/download?id=1&format=csv")
        XCTAssertEqual(download.status, 200, download.text)
        XCTAssertEqual(download.header("content-type")?.hasPrefix("text/csv"), true)
        XCTAssertEqual(download.header("content-disposition"), #"attachment; filename="1.csv""#)
        var lines = download.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        let header = try XCTUnwrap(lines.first).split(separator: ",").map(String.init)
        for column in ["r_id", "p_id", "no", "sex", "age", "trial", "key", "rt", "left", "right", "chosen", "stimulus", "response"] {
            XCTAssertTrue(header.contains(column), "CSV header lacks \(column): \(header)")
        }
        let rows = lines.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        XCTAssertEqual(rows.count, 300)
        var responses: [String: Int] = [:]
        for (index, row) in rows.enumerated() {
            guard row.count == header.count else {
                XCTFail("row \(index + 1) has \(row.count) fields: \(row)")
                continue
            }
            let field = { (name: String) in row[header.firstIndex(of: name) ?? 0] }
            let key = ParticipantFixture.answer(index, pairs[index], keys: ["F", "J", " "])[0] as? String ?? ""
            let chosen = key == "F" ? pairs[index][0] : (key == "J" ? pairs[index][1] : "")
            let expectedResponse = chosen.isEmpty ? "" : (chosen.hasSuffix("_ori.jpg") ? "1" : "-1")
            XCTAssertEqual(field("p_id"), "1")
            XCTAssertEqual(field("no"), "2020123456")
            XCTAssertEqual(field("trial"), String(index + 1))
            XCTAssertEqual(field("key"), key == " " ? "" : key, "row \(index + 1)")
            XCTAssertEqual(field("left"), pairs[index][0])
            XCTAssertEqual(field("right"), pairs[index][1])
            XCTAssertEqual(field("chosen"), chosen, "row \(index + 1)")
            XCTAssertEqual(field("stimulus"), String(Int(pairs[index][0].dropFirst("rcic_".count).prefix(5)) ?? 0))
            XCTAssertEqual(field("response"), expectedResponse, "row \(index + 1)")
            responses[field("response"), default: 0] += 1
        }
        // The random sides make both signs occur among the 200 answered trials; 100 timeouts are empty.
        XCTAssertEqual(responses[""], 100)
        XCTAssertGreaterThan(responses["1"] ?? 0, 0)
        XCTAssertGreaterThan(responses["-1"] ?? 0, 0)
    }
}
