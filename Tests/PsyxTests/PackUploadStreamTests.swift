import FastCGI
import Foundation
import PsyxTestSupport
import XCTest
@testable import Psyx

/// The create route takes its body while it arrives (`PackUploadStream` as the
/// connection's `BodyReceiver`): however the bytes are cut, the pack is the same,
/// every refusal leaves nothing behind, and an upload dropped midway is undone.
final class PackUploadStreamTests: XCTestCase {
    private var app: AppHarness!

    override func setUpWithError() throws { app = try AppHarness(packSize: 3) }
    override func tearDown() { app = nil }

    private func fixture(_ name: String, sex: String) -> PackFixture {
        var fixture = PackFixture(name: name, pairs: 3)
        fixture.sex = sex
        fixture.imageBytes = { number, side in TinyImages.jpeg + Array("\(number)\(side)".utf8) }
        return fixture
    }

    func testAPackFedInChunksOfAnySizeIsStoredByteForByte() throws {
        for (index, chunkSize) in [1, 7, 4096, 1 << 20].enumerated() {
            let pack = fixture("chunks\(index)", sex: index % 2 == 0 ? "1" : "2")
            var shifted = pack
            shifted.ageMin = String(20 + 10 * (index / 2))
            shifted.ageMax = String(29 + 10 * (index / 2))
            let answer = try XCTUnwrap(app.streamedUpload(shifted.body(), chunkSize: chunkSize), "the create route takes its body")
            XCTAssertEqual(answer.text, "Pack \(index + 1) Added.", "chunks of \(chunkSize)")
            let folder = app.directory + "/packs/chunks\(index)"
            XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder).sorted(), pack.fileNames.sorted())
            let stored = FileManager.default.contents(atPath: folder + "/" + PackFixture.fileName(2, "inv")).map { [UInt8]($0) }
            XCTAssertEqual(stored, TinyImages.jpeg + Array("2inv".utf8))
        }
        XCTAssertEqual(app.stagingEntries, [])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: app.directory + "/spool"), [], "nothing was spooled")
    }

    func testRefusalsWhileStreamingLeaveNothingBehind() throws {
        XCTAssertEqual(try XCTUnwrap(app.streamedUpload(fixture("existing", sex: "2").body(), chunkSize: 1000)).status, 200)
        var notImage = fixture("fresh", sex: "1")
        notImage.replaced = [PackFixture.fileName(3, "ori"): Array("<?php echo 1; ?>".utf8)]
        var short = fixture("fresh", sex: "1")
        short.pairs = 2
        let cases: [(MultipartBody, String)] = [
            (fixture("Bad-Name", sex: "1").body(), "Invalid Pack Name"),
            (fixture("existing", sex: "1").body(), "Pack Existed"),
            (short.body(), "Invalid Folder Size: a pack needs 3 pairs (6 images)"),
            (notImage.body(), "Invalid Image: \(PackFixture.fileName(3, "ori"))"),
            (fixture("fresh", sex: "1").body(closed: false), "Malformed Upload: the body ends before its final boundary"),
        ]
        for (body, message) in cases {
            let answer = try XCTUnwrap(app.streamedUpload(body, chunkSize: 3000))
            XCTAssertEqual(answer.status, 400, message)
            XCTAssertEqual(answer.sentence, message)
            XCTAssertEqual(app.packFolders, ["existing"], message)
            XCTAssertEqual(app.stagingEntries, [], "\(message): the staging folder is gone when the answer is made")
        }
    }

    func testAnUploadDroppedMidwayRemovesWhatItStaged() throws {
        let body = fixture("dropped", sex: "1").body()
        var receiver: (any BodyReceiver)? = app.responder.bodyReceiver(for: app.uploadRequest(body))
        XCTAssertNotNil(receiver)
        body.bytes[0..<(body.bytes.count * 2 / 3)].withUnsafeBytes { receiver?.receive($0) }
        let staged = app.stagingEntries
        XCTAssertEqual(staged.count, 1, "images are written while the body arrives")
        let stagedFiles = try FileManager.default.contentsOfDirectory(atPath: app.directory + "/staging/" + staged[0])
        XCTAssertGreaterThan(stagedFiles.count, 0)

        receiver = nil   // what the connection does on ABORT_REQUEST, a refused body or a lost connection
        XCTAssertEqual(app.stagingEntries, [])
        XCTAssertEqual(app.packFolders, [])
        XCTAssertEqual(app.call("GET", "/api/admin/list").text, "[]")
    }

    func testOnlyAnAdmittedMultipartCreateGetsAReceiver() {
        let body = fixture("fresh", sex: "1").body()
        XCTAssertNil(app.responder.bodyReceiver(for: app.uploadRequest(body, user: nil)), "no admin: collected, then refused")
        XCTAssertNil(app.responder.bodyReceiver(for: app.uploadRequest(body, headers: ["Sec-Fetch-Site": "cross-site"])))
        var json = app.uploadRequest(body)
        json.params = Params(json.params.dictionary.merging(["CONTENT_TYPE": "application/json"]) { $1 })
        XCTAssertNil(app.responder.bodyReceiver(for: json), "not multipart: answered Nothing Uploaded the usual way")
        var other = app.uploadRequest(body)
        other.params = Params(other.params.dictionary.merging(["DOCUMENT_URI": "/api/reply/submit"]) { $1 })
        XCTAssertNil(app.responder.bodyReceiver(for: other))
        XCTAssertEqual(app.stagingEntries, [], "declining creates nothing")
        XCTAssertEqual(app.upload(body).text, "Pack 1 Added.", "a collected body still goes through the same stream")
    }
}
