import Foundation
import PsyxTestSupport
import XCTest
@testable import Psyx

/// A synthetic pack uploaded through the real create route, and simulated participants' replies
/// submitted through the real submit route.
struct AnalysisFixture {
    let app: AppHarness
    let synthetic: SyntheticPack
    let packID: Int
    let name: String

    /// Uploads `synthetic` as pack `name` (PNG files, or JPEG quality 100), with `base` as its
    /// `base.png` when given; the harness's pack size must match.
    init(app: AppHarness, synthetic: SyntheticPack, name: String, jpeg: Bool = false, base: GreyImage? = nil, sex: String = "2",
         ageMin: String = "20", ageMax: String = "29", file: StaticString = #filePath, line: UInt = #line) throws {
        self.app = app
        self.synthetic = synthetic
        self.name = name
        let images = (0..<synthetic.pairs).map { synthetic.images($0) }
        var fixture = PackFixture(name: name, pairs: synthetic.pairs)
        fixture.sex = sex
        fixture.ageMin = ageMin
        fixture.ageMax = ageMax
        fixture.imageBytes = { number, side in
            let image = side == "ori" ? images[number - 1].ori : images[number - 1].inv
            return (try? jpeg ? JPEGCodec.encodeGrey(image, quality: 100) : PNGEncoder.encode(image)) ?? []
        }
        if let base { fixture.extraFiles = [("faces/base.png", try PNGEncoder.encode(base))] }
        let created = app.upload(fixture.body())
        XCTAssertEqual(created.status, 200, created.text, file: file, line: line)
        let words = created.text.split(separator: " ")
        packID = try XCTUnwrap(words.count == 3 ? Int(words[1]) : nil, created.text, file: file, line: line)
    }

    /// Submits one reply with these responses (+1 ori, −1 inv, 0 missed), sides shuffled by `seed`,
    /// as the experiment page does (`layout`; nil sends the same arrays as the original client would).
    @discardableResult
    func submit(_ responses: [Int8], no: String, seed: UInt64, sex: Int = 2, age: Int = 25,
                layout: String? = ParticipantFixture.pageLayout,
                file: StaticString = #filePath, line: UInt = #line) -> AppHarness.Answer {
        let json = SyntheticPack.answersJSON(responses, files: { (PackFixture.fileName($0 + 1, "ori"), PackFixture.fileName($0 + 1, "inv")) },
                                             seed: seed)
        let answers = (try? JSONSerialization.jsonObject(with: Data(json.utf8))) ?? []
        var body = Participants.details(no: no, sex: sex, age: age)
        body["p_id"] = packID
        body["answers"] = answers
        body["layout"] = layout
        let answer = app.json("POST", "/api/reply/submit", body)
        XCTAssertEqual(answer.status, 200, answer.text, file: file, line: line)
        return answer
    }

    func ci(_ query: String = "") -> AppHarness.Answer {
        app.call("GET", "/api/admin/ci", query: "id=\(packID)" + query)
    }

    func infoVals(file: StaticString = #filePath, line: UInt = #line) throws -> [[String: Any]] {
        let answer = app.call("GET", "/api/admin/infoval", query: "id=\(packID)")
        XCTAssertEqual(answer.status, 200, answer.text, file: file, line: line)
        return try XCTUnwrap(try answer.json() as? [[String: Any]], file: file, line: line)
    }

    var folder: String { app.directory + "/packs/" + name }

    /// Every picture the route serves now — the pack's and each of `replies`', in both scalings —
    /// is the one a fresh service computes from scratch: the cached sums and pictures are not stale.
    func assertCIsMatchAFreshService(replies: [Int64], file: StaticString = #filePath, line: UInt = #line) throws {
        let fresh = AnalysisService(store: app.application.store, data: app.application.data, log: nil)
        for scaling in CIScaling.allCases {
            for reply in [nil] + replies.map(Optional.some) {
                let query = (reply.map { "&r_id=\($0)" } ?? "") + "&scaling=\(scaling.rawValue)"
                XCTAssertEqual(try fresh.ciPNG(packID: Int64(packID), replyID: reply, scaling: scaling).png, ci(query).body, query,
                               file: file, line: line)
            }
        }
    }

    /// Pearson correlation, for comparing a CI with the template.
    static func correlation(_ a: [Float], _ b: [Float]) -> Double {
        let n = Double(min(a.count, b.count))
        let ma = a.reduce(0.0) { $0 + Double($1) } / n, mb = b.reduce(0.0) { $0 + Double($1) } / n
        var sab = 0.0, saa = 0.0, sbb = 0.0
        for (x, y) in zip(a, b) {
            let dx = Double(x) - ma, dy = Double(y) - mb
            sab += dx * dy
            saa += dx * dx
            sbb += dy * dy
        }
        return sab / (saa * sbb).squareRoot()
    }
}
