import Foundation
import XCTest
@testable import Psyx

/// The analysis against known truth: synthetic packs whose noise and hidden template are known,
/// participants simulated from them, and an independent numpy implementation.
final class AnalysisScienceTests: XCTestCase {
    /// Participants who look for a hidden template: the pack's CI must show it.
    func testPackCICorrelatesWithTheHiddenTemplate() throws {
        let app = try AppHarness(packSize: 100)
        let synthetic = SyntheticPack(width: 32, height: 32, pairs: 100, basisCount: 8, seed: 11)
        let pack = try AnalysisFixture(app: app, synthetic: synthetic, name: "template")
        let evidence = synthetic.evidence()
        for participant in 0..<12 {
            let responses = SyntheticPack.responses(seed: 100 + UInt64(participant), evidence: evidence, pairs: 100,
                                                    decisionNoise: 1, missRate: 0.02)
            pack.submit(responses, no: "t\(participant)", seed: UInt64(participant))
        }
        let answer = pack.ci()
        XCTAssertEqual(answer.status, 200, answer.text)
        XCTAssertEqual(answer.header("Content-Type"), "image/png")
        let picture = try PNGDecoder.decodeGrey(answer.body)
        XCTAssertEqual([picture.width, picture.height], [32, 32])
        // picture = 255 · (scaled + base) / 2, the base recovered from the mean image (base/2 + 0.25).
        let scaled = zip(picture.pixels, synthetic.base).map { 2 * Float($0) / 255 - $1 }
        let correlation = AnalysisFixture.correlation(scaled, synthetic.template)
        XCTAssertGreaterThanOrEqual(correlation, 0.9)

        // A participant choosing the opposite shows the anti-template.
        let anti = SyntheticPack.responses(seed: 999, evidence: evidence.map { -$0 }, pairs: 100, decisionNoise: 0.5)
        let last = pack.submit(anti, no: "anti", seed: 5)
        XCTAssertEqual(last.status, 200)
        let rows = try pack.infoVals()
        let antiID = try XCTUnwrap(rows.last?["r_id"] as? Int)
        let antiPicture = try PNGDecoder.decodeGrey(pack.ci("&r_id=\(antiID)").body)
        let antiScaled = zip(antiPicture.pixels, synthetic.base).map { 2 * Float($0) / 255 - $1 }
        XCTAssertLessThan(AnalysisFixture.correlation(antiScaled, synthetic.template), -0.8)
    }

    /// infoVal: random responders near 0, template responders clearly above.
    func testInfoValSeparatesRandomFromTemplateResponders() throws {
        let app = try AppHarness(packSize: 100)
        let synthetic = SyntheticPack(width: 32, height: 32, pairs: 100, basisCount: 24, seed: 23)
        let pack = try AnalysisFixture(app: app, synthetic: synthetic, name: "infoval")
        let evidence = synthetic.evidence()
        for participant in 0..<50 {
            // Some miss a few trials: their reference is the one for their number of answered trials.
            let responses = SyntheticPack.responses(seed: 5_000 + UInt64(participant), evidence: nil, pairs: 100,
                                                    missRate: participant % 3 == 0 ? 0.05 : 0)
            pack.submit(responses, no: "r\(participant)", seed: UInt64(participant))
        }
        for participant in 0..<5 {
            let responses = SyntheticPack.responses(seed: 7_000 + UInt64(participant), evidence: evidence, pairs: 100,
                                                    decisionNoise: 0.5, missRate: 0.03)
            pack.submit(responses, no: "s\(participant)", seed: 50 + UInt64(participant))
        }
        let rows = try pack.infoVals()
        XCTAssertEqual(rows.count, 55)
        let values = rows.map { ($0["infoval"] as? Double) ?? .nan }
        let trials = rows.compactMap { $0["trials"] as? Int }
        XCTAssertEqual(trials.count, 55)
        XCTAssertTrue(trials.contains { $0 < 100 }, "some replies missed trials")
        let random = values.prefix(50), template = values.suffix(5)
        let calm = random.filter { abs($0) < 2 }.count
        XCTAssertGreaterThanOrEqual(calm, 45, "random responders' infoVals: \(random)")
        for value in template { XCTAssertGreaterThan(value, 3, "template responders' infoVals: \(template)") }

        // Reproducible: a fresh service (cold caches, Gram read from its file) gives the same numbers.
        let again = try AnalysisService(store: app.application.store, data: app.application.data, log: nil).infoVals(packID: Int64(pack.packID))
        XCTAssertEqual(again.map { $0.infoVal.map { ($0 * 10_000).rounded() / 10_000 } }, values.map { $0 })
    }

    /// The same CIs from an independent numpy implementation: within one grey level per pixel.
    func testPicturesAgreeWithNumpy() throws {
        let app = try AppHarness(packSize: 30)
        let synthetic = SyntheticPack(width: 24, height: 20, pairs: 30, basisCount: 12, seed: 31)
        let pack = try AnalysisFixture(app: app, synthetic: synthetic, name: "numpy")
        let evidence = synthetic.evidence()
        for participant in 0..<4 {
            let responses = SyntheticPack.responses(seed: 300 + UInt64(participant), evidence: participant < 2 ? evidence : nil,
                                                    pairs: 30, missRate: 0.1)
            pack.submit(responses, no: "n\(participant)", seed: UInt64(participant))
        }
        let folder = app.directory + "/numpy-check"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let download = app.call("GET", "/api/admin/download", query: "id=\(pack.packID)")
        XCTAssertEqual(download.status, 200)
        try Data(download.body).write(to: URL(fileURLWithPath: folder + "/replies.json"))
        let replyIDs = try XCTUnwrap(try pack.infoVals().compactMap { $0["r_id"] as? Int })
        var expected: [String] = []
        for scaling in CIScaling.allCases {
            try Data(pack.ci("&scaling=\(scaling.rawValue)").body).write(to: URL(fileURLWithPath: folder + "/pack_\(scaling.rawValue).png"))
            expected.append("pack_\(scaling.rawValue)")
            for id in replyIDs {
                let answer = pack.ci("&r_id=\(id)&scaling=\(scaling.rawValue)")
                XCTAssertEqual(answer.status, 200, answer.text)
                try Data(answer.body).write(to: URL(fileURLWithPath: folder + "/reply_\(id)_\(scaling.rawValue).png"))
                expected.append("reply_\(id)_\(scaling.rawValue)")
            }
        }
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("python/ci_numpy.py").path
        let output = try Self.python([script, pack.folder, folder + "/replies.json", folder])
        let report = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Double], output)
        XCTAssertEqual(Set(report.keys), Set(expected))
        for (name, difference) in report { XCTAssertLessThanOrEqual(difference, 1, name) }
    }

    /// Runs python3 (needs numpy: `apt-get install -y python3-numpy`); fails with its error output.
    static func python(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let output = out.fileHandleForReading.readDataToEndOfFile()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw NSError(domain: "python3", code: Int(process.terminationStatus), userInfo: [NSLocalizedDescriptionKey:
                "python3 failed (numpy needed: apt-get install -y python3-numpy): " + String(decoding: errors, as: UTF8.self)])
        }
        return String(decoding: output, as: UTF8.self)
    }
}
