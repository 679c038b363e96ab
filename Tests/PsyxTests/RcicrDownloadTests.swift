import Foundation
import PsyxTestSupport
import XCTest

/// `GET /api/admin/download?id=N&format=rcicr` through the responder: the CSV's answered trials as
/// `participant,r_id,trial,stimulus,response`, and a clear 400 for a format it does not know.
final class RcicrDownloadTests: XCTestCase {
    func testRcicrDownloadHoldsTheCSVsAnsweredTrials() throws {
        let app = try AppHarness(packSize: 3)
        XCTAssertEqual(app.upload(PackFixture(name: "female20s", pairs: 3).body()).status, 200)
        for (no, keys) in [("s100", ["F", "J", " "]), ("s200", [" ", "J", "F"]), ("s300", [" "])] {
            let started = try XCTUnwrap(try app.json("POST", "/api/reply/start", Participants.details(no: no)).json() as? [String: Any])
            let pairs = try XCTUnwrap(started["pic_pairs"] as? [[String]])
            let submitted = app.json("POST", "/api/reply/submit", Participants.submit(packID: 1, pairs: pairs, keys: keys, no: no))
            XCTAssertEqual(submitted.status, 200, submitted.text)
        }

        let csv = app.call("GET", "/api/admin/download", query: "id=1&format=csv")
        var lines = csv.text.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let header = lines.removeFirst()
        let column = { (name: String) in try XCTUnwrap(header.firstIndex(of: name), "CSV without \(name)") }
        let (participant, replyID, trial) = (try column("participant"), try column("r_id"), try column("trial"))
        let (stimulus, response, packID, no) = (try column("stimulus"), try column("response"), try column("p_id"), try column("no"))
        XCTAssertEqual(lines.count, 9)
        XCTAssertEqual(lines.filter { $0[response].isEmpty }.count, 5, "five timeouts: empty in the CSV")
        for line in lines {
            XCTAssertEqual(line[participant], line[no], "participant is the participant's number")
            XCTAssertEqual(line[packID], "1", "p_id stays the pack")
        }
        let expected = "participant,r_id,trial,stimulus,response\n" + lines.filter { !$0[response].isEmpty }
            .map { [$0[participant], $0[replyID], $0[trial], $0[stimulus], $0[response]].joined(separator: ",") + "\n" }
            .joined()

        let rcicr = app.call("GET", "/api/admin/download", query: "id=1&format=rcicr")
        XCTAssertEqual(rcicr.status, 200, rcicr.text)
        XCTAssertEqual(rcicr.header("Content-Type"), "text/csv; charset=utf-8")
        XCTAssertEqual(rcicr.header("Content-Disposition"), #"attachment; filename="1-rcicr.csv""#)
        XCTAssertEqual(rcicr.text, expected)
        let rows = rcicr.text.split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        XCTAssertEqual(rows.map { String($0[0]) }, ["s100", "s100", "s200", "s200"], "s300 answered nothing")
        XCTAssertTrue(rows.allSatisfy { ["1", "-1"].contains($0[4]) && ["1", "2", "3"].contains($0[3]) })
        XCTAssertEqual(app.call("GET", "/api/admin/download", query: "id=1&format=RCICR").text, expected)
    }

    func testUnknownFormatIsRefused() throws {
        let app = try AppHarness(packSize: 3)
        XCTAssertEqual(app.upload(PackFixture(name: "female20s", pairs: 3).body()).status, 200)
        for (query, sentence) in [("id=1&format=xlsx", "Invalid Format: xlsx"), ("id=1&format=", "Invalid Format:"),
                                  ("id=9&format=rcicr", "Pack 9 Not Found")] {
            let answer = app.call("GET", "/api/admin/download", query: query)
            XCTAssertEqual(answer.status, 400, query)
            XCTAssertEqual(answer.sentence, sentence, query)
        }
        XCTAssertEqual(app.call("GET", "/api/admin/download", query: "id=1&format=json").status, 200)
    }
}
