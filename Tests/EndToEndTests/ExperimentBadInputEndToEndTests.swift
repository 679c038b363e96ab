import Foundation
import PsyxTestSupport
import XCTest

/// The bad-input matrix through real Nginx (ExperimentBadInput+*.swift): every row
/// is refused with 400 and its exact sentence, HTML-escaped, and leaves the API's
/// answers, the database rows and the data directory's files as they were.
///
/// One stack for the whole table: starting one and uploading the base pack of
/// 600 images costs seconds, a row costs milliseconds (a 600-file row, seconds).
final class ExperimentBadInputEndToEndTests: EndToEndTestCase {
    func testBadInputMatrixChangesNothing() throws {
        try badInputMatrix(database: [:])
    }

    /// The same matrix with psyx on PostgreSQL (`PSYX_DATABASE`, a schema of its own).
    func testBadInputMatrixChangesNothingOnPostgreSQL() throws {
        try onPostgreSQL { try badInputMatrix(database: $0) }
    }

    /// `database`: the PSYX_DATABASE setting for psyx serve, or none for SQLite.
    private func badInputMatrix(database: [String: String]) throws {
        let client = ExperimentClient(stack: try startStack(environment: database))
        try uploadBasePack(client)

        // A reply in the base pack, so "nothing changed" covers replies and "Already Participated" has a cause.
        let replied = ParticipantFixture(no: "2020000001")
        let pairs = try client.start(replied).pairs
        let submitted = try client.post("/api/reply/submit", json: replied.submit(packID: 1, pairs: pairs))
        XCTAssertEqual(submitted.text, "Reply Submitted.")

        let cases = ExperimentBadInput.createFieldCases() + ExperimentBadInput.createFolderCases()
            + ExperimentBadInput.unknownIDCases() + ExperimentBadInput.startCases()
            + ExperimentBadInput.submitCases(replied: replied, fresh: ParticipantFixture(no: "2020000002"), pairs: pairs)
        XCTAssertGreaterThanOrEqual(cases.count, 40)

        let rowsBefore = try client.rowCounts()
        XCTAssertEqual(rowsBefore, "packs=1 pack_pairs=300 replies=1")
        var before = try ExperimentSnapshot(client)
        for row in cases {
            let response = try row.send(with: client)
            XCTAssertEqual(response.status, 400, "\(row.label): \(response.text)")
            XCTAssertEqual(ExperimentClient.sentence(response), row.message, row.label)
            XCTAssertEqual(response.header("content-type"), "text/html; charset=utf-8", row.label)
            if row.message.contains("<") {
                XCTAssertFalse(response.text.contains(row.message), "\(row.label): user text not HTML-escaped")
            }
            let after = try ExperimentSnapshot(client)
            XCTAssertTrue(after == before, "\(row.label) changed something: \(after.difference(from: before))")
            before = after  // a change fails its own row, not every row after it
        }
        XCTAssertEqual(try client.rowCounts(), rowsBefore)
        assertNoEscapedFile(named: "x_00001_ori.jpg", client)
    }

    /// Female 20–29, whose pair-1 ori image is sent as `../../x_00001_ori.jpg`: only
    /// the last component counts, so it lands inside the pack folder and is served there.
    private func uploadBasePack(_ client: ExperimentClient) throws {
        var base = PackFixture(name: "base", pairs: 300)
        base.omitted = [PackFixture.fileName(1, "ori")]
        base.extraFiles = [("../../x_00001_ori.jpg", TinyImages.jpeg)]
        let created = try client.upload(base.body())
        XCTAssertEqual(created.text, "Pack 1 Added.")
        let folder = client.stack.dataDirectory.appendingPathComponent("packs/base")
        let stored = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        XCTAssertEqual(stored.count, 600)
        XCTAssertTrue(stored.contains("x_00001_ori.jpg"))
        assertNoEscapedFile(named: "x_00001_ori.jpg", client)
        XCTAssertEqual(try client.fetchAll(["/packs/base/x_00001_ori.jpg"]), ["200 image/jpeg \(TinyImages.jpeg.count)"])
    }

    /// The file exists nowhere but in pack folders: not in the data directory,
    /// the stack's folder or its parent (where `../../` from a pack or staging folder points).
    private func assertNoEscapedFile(named name: String, _ client: ExperimentClient, line: UInt = #line) {
        let stack = client.stack
        for folder in [stack.dataDirectory, stack.directory, stack.directory.deletingLastPathComponent(),
                       stack.dataDirectory.appendingPathComponent("packs"), stack.dataDirectory.appendingPathComponent("staging")] {
            XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent(name).path),
                           "\(name) escaped into \(folder.path)", line: line)
        }
        let strays = client.dataFiles().filter { $0.contains(name) && !$0.hasPrefix("packs/base/") }
        XCTAssertEqual(strays, [], line: line)
    }
}
