import Foundation
import PsyxTestSupport
import XCTest

/// `format=psychds` through real Nginx (issue 20, item 7): the zip a researcher downloads with
/// curl is a valid Psych-DS dataset whose data file is exactly the CSV download.
final class PsychDSExportEndToEndTests: EndToEndTestCase {
    func testPsychDSDownloadThroughNginx() throws {
        let stack = try startStack(environment: ["PSYX_PACK_SIZE": "3"])
        let client = ExperimentClient(stack: stack)
        XCTAssertEqual(try client.upload(PackFixture(name: "women_30s", pairs: 3).body()).text, "Pack 1 Added.")
        for no in ["pds001", "pds002"] {
            let participant = ParticipantFixture(no: no)
            let started = try client.start(participant)
            XCTAssertEqual(try client.post("/api/reply/submit", json: participant.submit(packID: 1, pairs: started.pairs)).status, 200)
        }
        let zip = try client.admin("GET", "/api/admin/download?id=1&format=psychds")
        XCTAssertEqual(zip.status, 200, zip.text)
        XCTAssertEqual(zip.header("Content-Type"), "application/zip")
        let csv = try client.admin("GET", "/api/admin/download?id=1&format=csv")
        try Data(zip.body).write(to: stack.directory.appendingPathComponent("1-psychds.zip"))
        try Data(csv.body).write(to: stack.directory.appendingPathComponent("1.csv"))
        let script = RepositoryLayout.root.appendingPathComponent("Tests/PsyxTests/python/psychds_check.py").path
        let checked = try Command.run("python3", [script, stack.directory.appendingPathComponent("1-psychds.zip").path,
                                                  stack.directory.appendingPathComponent("1.csv").path], scratch: stack.directory)
        XCTAssertEqual(checked.status, 0, checked.standardError)
        let report = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(checked.standardOutput)) as? [String: Any])
        XCTAssertEqual(report["data_file"] as? String, "data/study-women30s_data.csv")
        XCTAssertEqual(report["rows"] as? Int, 6)
    }
}
