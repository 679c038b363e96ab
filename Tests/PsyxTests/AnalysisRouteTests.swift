import Foundation
import PsyxTestSupport
import XCTest
@testable import Psyx

/// The analysis routes' refusals and failures, and their caching as replies arrive.
final class AnalysisRouteTests: XCTestCase {
    func testUnknownPackReplyAndBadParameters() throws {
        let app = try AppHarness(packSize: 4)
        let synthetic = SyntheticPack(width: 8, height: 8, pairs: 4, seed: 3)
        let pack = try AnalysisFixture(app: app, synthetic: synthetic, name: "small")
        pack.submit([1, -1, 1, 0], no: "a1", seed: 1)

        for (query, sentence) in [("id=7", "Pack 7 Not Found"), ("id=abc", "Pack abc Not Found"), ("", "Pack Not Found"),
                                  ("id=\(pack.packID)&r_id=9", "Unknown Reply 9"), ("id=\(pack.packID)&r_id=x", "Unknown Reply x"),
                                  ("id=\(pack.packID)&scaling=loud", "Invalid Scaling"), ("id=\(pack.packID)&size=0", "Invalid Size")] {
            let answer = app.call("GET", "/api/admin/ci", query: query)
            XCTAssertEqual(answer.status, 400, query)
            XCTAssertEqual(answer.sentence, sentence, query)
        }
        XCTAssertEqual(app.call("GET", "/api/admin/infoval", query: "id=7").sentence, "Pack 7 Not Found")
        // Admin only, GET only.
        XCTAssertEqual(app.call("GET", "/api/admin/ci", query: "id=\(pack.packID)", user: nil).status, 403)
        XCTAssertEqual(app.call("GET", "/api/admin/infoval", query: "id=\(pack.packID)", user: nil).status, 403)
        XCTAssertEqual(app.call("POST", "/api/admin/ci", query: "id=\(pack.packID)").status, 405)

        // A reply of another pack is unknown to this one.
        let other = try AnalysisFixture(app: app, synthetic: synthetic, name: "other", sex: "1")
        let answer = other.submit([1, 1, 1, 1], no: "b1", seed: 2, sex: 1)
        XCTAssertEqual(answer.status, 200)
        XCTAssertEqual(app.call("GET", "/api/admin/ci", query: "id=\(pack.packID)&r_id=2").sentence, "Unknown Reply 2")
        XCTAssertEqual(app.call("GET", "/api/admin/ci", query: "id=\(other.packID)&r_id=2").status, 200)
        XCTAssertEqual(app.call("GET", "/api/admin/ci", query: "id=\(pack.packID)&r_id=1&size=8").status, 200)
    }

    /// The CI and infoVal read each reply with its stored layout: the same arrays from the original
    /// client (no marker) chose the opposite faces.
    func testAnalysisReadsEachReplyWithItsLayout() throws {
        let app = try AppHarness(packSize: 4)
        let pack = try AnalysisFixture(app: app, synthetic: SyntheticPack(width: 8, height: 8, pairs: 4, seed: 3), name: "sides")
        pack.submit([1, -1, 1, 0], no: "p1", seed: 1)
        pack.submit([1, -1, 1, 0], no: "o1", seed: 1, layout: nil)
        let store = app.application.store
        let stored = try XCTUnwrap(try store.pack(id: Int64(pack.packID)))
        let tally = try PackAnalysis(pack: stored, folder: pack.folder, gramFile: app.directory + "/gram").sync(with: store)
        XCTAssertEqual(tally.responses[1], [1, -1, 1, 0])
        XCTAssertEqual(tally.responses[2], [-1, 1, -1, 0])
    }

    func testPackWithoutRepliesIsAClearBadRequest() throws {
        let app = try AppHarness(packSize: 3)
        let pack = try AnalysisFixture(app: app, synthetic: SyntheticPack(width: 8, height: 8, pairs: 3), name: "empty")
        for route in ["/api/admin/ci", "/api/admin/infoval"] {
            let answer = app.call("GET", route, query: "id=\(pack.packID)")
            XCTAssertEqual(answer.status, 400, route)
            XCTAssertEqual(answer.sentence, "No Replies Yet", route)
        }
    }

    /// A corrupt pack image is the server's problem: 500, the file named in the log, nothing
    /// else affected, and the same answer again (no crash, no half-loaded state).
    func testCorruptImageIs500NamingTheFile() throws {
        let app = try AppHarness(packSize: 3)
        let synthetic = SyntheticPack(width: 16, height: 16, pairs: 3, seed: 5)
        let broken = try AnalysisFixture(app: app, synthetic: synthetic, name: "broken", jpeg: true)
        let fine = try AnalysisFixture(app: app, synthetic: synthetic, name: "fine", sex: "1")
        broken.submit([1, -1, 1], no: "c1", seed: 1)
        fine.submit([1, -1, 1], no: "c2", seed: 1, sex: 1)
        let victim = broken.folder + "/" + PackFixture.fileName(2, "inv")
        let bytes = try XCTUnwrap(FileManager.default.contents(atPath: victim))
        try Data(bytes.prefix(bytes.count / 2)).write(to: URL(fileURLWithPath: victim))

        for _ in 0..<2 {
            let answer = broken.ci()
            XCTAssertEqual(answer.status, 500)
            XCTAssertFalse(answer.text.contains("rcic_"), "no file names to the client")
            XCTAssertEqual(app.call("GET", "/api/admin/infoval", query: "id=\(broken.packID)").status, 500)
        }
        let log = try String(contentsOfFile: app.directory + "/logs/api.log", encoding: .utf8)
        XCTAssertTrue(log.contains(PackFixture.fileName(2, "inv")), log)
        XCTAssertEqual(app.call("GET", "/api/health").status, 200)
        XCTAssertEqual(fine.ci().status, 200)

        // A differently-sized image, and a file that is gone, fail the same way.
        let small = try PNGEncoder.encode(GreyImage(width: 4, height: 4, pixels: Array(repeating: 9, count: 16)))
        try Data(small).write(to: URL(fileURLWithPath: fine.folder + "/" + PackFixture.fileName(3, "ori")))
        let service = AnalysisService(store: app.application.store, data: app.application.data, log: nil)
        XCTAssertThrowsError(try service.ciPNG(packID: Int64(fine.packID))) { error in
            XCTAssertEqual(error as? AnalysisError, .sizeMismatch(file: PackFixture.fileName(3, "ori"), expected: "16x16", found: "4x4"))
        }
        try FileManager.default.removeItem(atPath: fine.folder + "/" + PackFixture.fileName(1, "inv"))
        XCTAssertThrowsError(try service.ciPNG(packID: Int64(fine.packID))) { error in
            XCTAssertEqual(error as? AnalysisError, .image(file: PackFixture.fileName(1, "inv"), ImageError("cannot be read")))
        }
    }

    /// A new reply updates the running sums: the picture after it equals one computed from scratch.
    func testNewReplyUpdatesTheCachedPicture() throws {
        let app = try AppHarness(packSize: 20)
        let synthetic = SyntheticPack(width: 16, height: 12, pairs: 20, seed: 9)
        let pack = try AnalysisFixture(app: app, synthetic: synthetic, name: "live")
        let evidence = synthetic.evidence()
        pack.submit(SyntheticPack.responses(seed: 1, evidence: evidence, pairs: 20), no: "l1", seed: 1)
        let first = pack.ci()
        XCTAssertEqual(first.status, 200)
        XCTAssertEqual(pack.ci().body, first.body, "warm: the same picture")
        let firstAuto = pack.ci("&r_id=1&scaling=autoscale")
        // Few answered trials: a CI of larger magnitude, which changes the autoscale constant.
        pack.submit([1, -1, -1, 1] + Array(repeating: 0, count: 16), no: "l2", seed: 2)
        pack.submit(SyntheticPack.responses(seed: 3, evidence: evidence.map { -$0 }, pairs: 20), no: "l3", seed: 3)
        let updated = pack.ci()
        XCTAssertNotEqual(updated.body, first.body)
        XCTAssertNotEqual(pack.ci("&r_id=1&scaling=autoscale").body, firstAuto.body, "autoscale follows the new replies")
        XCTAssertEqual(pack.ci("&r_id=1").body, pack.ci("&r_id=1").body)
        let thumbnail = try PNGDecoder.decodeGrey(pack.ci("&r_id=2&size=8").body)
        XCTAssertEqual([thumbnail.width, thumbnail.height], [8, 6])

        let fresh = AnalysisService(store: app.application.store, data: app.application.data, log: nil)
        XCTAssertEqual(try fresh.ciPNG(packID: Int64(pack.packID)).png, updated.body)
        try pack.assertCIsMatchAFreshService(replies: [1, 2, 3])
    }

    func testInfoValJSONAndCSVAndGramCacheFile() throws {
        let app = try AppHarness(packSize: 12)
        let synthetic = SyntheticPack(width: 12, height: 12, pairs: 12, seed: 4)
        let pack = try AnalysisFixture(app: app, synthetic: synthetic, name: "table")
        pack.submit(SyntheticPack.responses(seed: 1, evidence: nil, pairs: 12, missRate: 0.3), no: "i1", seed: 1)
        pack.submit(Array(repeating: 0, count: 12), no: "i2", seed: 2)
        let rows = try pack.infoVals()
        XCTAssertEqual(rows.map { $0["r_id"] as? Int }, [1, 2])
        XCTAssertNotNil(rows[0]["infoval"] as? Double)
        XCTAssertTrue(rows[1]["infoval"] is NSNull, "no answered trials: no infoVal")
        XCTAssertEqual(rows[1]["trials"] as? Int, 0)
        let trials = try XCTUnwrap(rows[0]["trials"] as? Int)
        XCTAssertLessThan(trials, 12)

        let csv = app.call("GET", "/api/admin/infoval", query: "id=\(pack.packID)&format=csv")
        XCTAssertEqual(csv.header("Content-Type"), "text/csv; charset=utf-8")
        XCTAssertEqual(csv.header("Content-Disposition"), "attachment; filename=\"\(pack.packID)-infoval.csv\"")
        let lines = csv.text.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.first, "r_id,infoval,trials")
        XCTAssertEqual(lines.last, "2,,0")
        XCTAssertEqual(lines.count, 3)
        XCTAssertTrue(lines[1].hasPrefix("1,") && lines[1].hasSuffix(",\(trials)"), lines[1])

        // The Gram matrix is cached inside the data directory and serves a new process without images.
        let gramFile = app.directory + "/cache/analysis/gram-\(pack.packID).bin"
        XCTAssertTrue(FileManager.default.fileExists(atPath: gramFile))
        try FileManager.default.removeItem(atPath: pack.folder + "/" + PackFixture.fileName(1, "ori"))
        let fresh = AnalysisService(store: app.application.store, data: app.application.data, log: nil)
        XCTAssertEqual(try fresh.infoVals(packID: Int64(pack.packID)).map(\.trials), [trials, 0])

        // Removing the pack forgets it, and its cache file goes when the next Gram file is written.
        XCTAssertEqual(app.call("POST", "/api/admin/remove", query: "id=\(pack.packID)").status, 200)
        XCTAssertEqual(app.call("GET", "/api/admin/infoval", query: "id=\(pack.packID)").sentence, "Pack \(pack.packID) Not Found")
        let next = try AnalysisFixture(app: app, synthetic: synthetic, name: "next")
        next.submit(Array(repeating: 1, count: 12), no: "i3", seed: 3)
        XCTAssertEqual(try next.infoVals().count, 1)
        XCTAssertFalse(FileManager.default.fileExists(atPath: gramFile))
    }
}
