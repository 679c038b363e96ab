import Foundation
import Psyx
import PsyxTestSupport
import XCTest

/// What a researcher takes to rcicr, through real Nginx: a pack uploaded with its base face, replies
/// with timeouts, the `format=rcicr` download (answered trials only) and the CI drawn over the base.
final class AnalysisExportEndToEndTests: EndToEndTestCase {
    func testRcicrDownloadAndBaseFaceThroughNginx() throws {
        let stack = try startStack(environment: ["PSYX_PACK_SIZE": "6"])
        let client = ExperimentClient(stack: stack)
        let synthetic = SyntheticPack(width: 24, height: 24, pairs: 6, basisCount: 6, seed: 5)
        var fixture = PackFixture(name: "rcicr", synthetic: synthetic)
        let photo = GreyImage(width: 24, height: 24, pixels: synthetic.base.map { UInt8(($0 * 255).rounded()) })
        fixture.extraFiles = [("faces/BASE.png", try PNGEncoder.encode(photo))]
        let created = try client.upload(fixture.body())
        XCTAssertEqual(created.text, "Pack 1 Added.")
        let folder = stack.dataDirectory.appendingPathComponent("packs/rcicr").path
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder).sorted(), (fixture.fileNames + ["base.png"]).sorted())

        // Three participants; every one lets some pairs time out, one answers nothing.
        for (no, keys) in [("e2e001", ["F", " ", "J"]), ("e2e002", [" ", "J"]), ("e2e003", [" "])] {
            let participant = ParticipantFixture(no: no)
            let started = try client.start(participant)
            let submitted = try client.post("/api/reply/submit", json: participant.submit(packID: 1, pairs: started.pairs, keys: keys))
            XCTAssertEqual(submitted.status, 200, submitted.text)
        }

        let csv = try client.admin("GET", "/api/admin/download?id=1&format=csv")
        var lines = csv.text.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let header = lines.removeFirst()
        let index = { (name: String) in header.firstIndex(of: name) ?? 0 }
        let answered = lines.filter { !$0[index("response")].isEmpty }
        XCTAssertEqual(lines.count, 18)
        XCTAssertEqual(answered.count, 7, "e2e001 answered 4 of 6, e2e002 3, e2e003 none")

        let rcicr = try client.admin("GET", "/api/admin/download?id=1&format=rcicr")
        XCTAssertEqual(rcicr.status, 200, rcicr.text)
        XCTAssertEqual(rcicr.header("content-type"), "text/csv; charset=utf-8")
        XCTAssertEqual(rcicr.header("content-disposition"), #"attachment; filename="1-rcicr.csv""#)
        let expected = answered.map { row in ["participant", "r_id", "trial", "stimulus", "response"].map { row[index($0)] }.joined(separator: ",") }
        XCTAssertEqual(rcicr.text, "participant,r_id,trial,stimulus,response\n" + expected.map { $0 + "\n" }.joined())
        XCTAssertFalse(rcicr.text.contains(",,"), "no empty cell for R to read as NA")

        let picture = try client.admin("GET", "/api/admin/ci?id=1")
        XCTAssertEqual(picture.status, 200, picture.text)
        XCTAssertEqual(picture.header("content-type"), "image/png")
        XCTAssertEqual(picture.header("x-psyx-ci-base"), "uploaded base.png")
        let refused = try client.admin("GET", "/api/admin/download?id=1&format=xls")
        XCTAssertEqual(refused.status, 400)
        XCTAssertEqual(ExperimentClient.sentence(refused), "Invalid Format: xls")
    }
}
