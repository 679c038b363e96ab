import Foundation
import XCTest
@testable import Psyx

/// The CI picture against rcicr's own `combined` image, computed independently in numpy from the
/// truth of a generated rcicr pack (its noise patterns and base) and Psyx's `format=rcicr` download:
/// with the base face uploaded beside the pairs, and with the base recovered from the pack.
final class AnalysisBaseFaceTests: XCTestCase {
    static let side = 32
    static let pairs = 40

    /// The researcher's base photo: a shaded oval on a darker ground, grey levels 40…210 (not
    /// black to white, so rcicr's default contrast stretch changes it).
    static let photo: GreyImage = {
        let pixels = (0..<(side * side)).map { pixel -> UInt8 in
            let x = (Double(pixel % side) + 0.5) / Double(side) - 0.5
            let y = (Double(pixel / side) + 0.5) / Double(side) - 0.5
            let r = x * x / 0.1 + y * y / 0.16
            let face = r < 1 ? 0.6 + 0.4 * (1 - r) : 0.3 * max(0, 2 - r)
            return UInt8((40 + 170 * min(max(face, 0), 1)).rounded())
        }
        return GreyImage(width: side, height: side, pixels: pixels)
    }()

    /// rcicr's base: the photo stretched to 0…1 (`maximize_baseimage_contrast = TRUE`).
    static var rcicrBase: [Float] {
        let low = Float(photo.pixels.min() ?? 0), high = Float(photo.pixels.max() ?? 255)
        return photo.pixels.map { (Float($0) - low) / (high - low) }
    }

    func testPicturesMatchRcicrWithAnUploadedBase() throws {
        try assertMatchesRcicr(uploading: true)
    }

    func testPicturesMatchRcicrWithTheRecoveredBase() throws {
        try assertMatchesRcicr(uploading: false)
    }

    func assertMatchesRcicr(uploading: Bool, line: UInt = #line) throws {
        let app = try AppHarness(packSize: Self.pairs)
        let base = Self.rcicrBase
        let synthetic = SyntheticPack(width: Self.side, height: Self.side, pairs: Self.pairs, basisCount: 12, seed: 27, base: base)
        // The premise of an exact recovery: rcicr's stimuli of this pack are nowhere clipped.
        for index in 0..<Self.pairs {
            for (b, n) in zip(base, synthetic.noise(index)) {
                XCTAssertTrue(abs(n / 1.2) <= min(b / 2 + 0.25, 0.75 - b / 2), "pair \(index + 1) clips", line: line)
            }
        }
        let pack = try AnalysisFixture(app: app, synthetic: synthetic, name: uploading ? "uploaded" : "recovered",
                                       base: uploading ? Self.photo : nil)
        XCTAssertEqual(FileManager.default.fileExists(atPath: pack.folder + "/base.png"), uploading, line: line)
        let evidence = synthetic.evidence()
        for participant in 0..<6 {
            // Template responders and random ones; all miss some trials, which rcicr's file leaves out.
            let responses = SyntheticPack.responses(seed: 900 + UInt64(participant), evidence: participant < 4 ? evidence : nil,
                                                    pairs: Self.pairs, missRate: 0.15)
            pack.submit(responses, no: "b\(participant)", seed: UInt64(participant))
        }

        let folder = app.directory + "/rcicr-check"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let download = app.call("GET", "/api/admin/download", query: "id=\(pack.packID)&format=rcicr")
        XCTAssertEqual(download.status, 200, download.text, line: line)
        try Data(download.body).write(to: URL(fileURLWithPath: folder + "/rcicr.csv"))
        let size = ["width": Self.side, "height": Self.side, "pairs": Self.pairs]
        try JSONSerialization.data(withJSONObject: size).write(to: URL(fileURLWithPath: folder + "/size.json"))
        try Self.floats((0..<Self.pairs).flatMap { synthetic.noise($0) }).write(to: URL(fileURLWithPath: folder + "/noise.f32"))
        try Self.floats(base).write(to: URL(fileURLWithPath: folder + "/base.f32"))

        var expected = ["pack_independent"]
        let packPicture = pack.ci("&scaling=independent")
        XCTAssertEqual(packPicture.header("X-Psyx-CI-Base"), uploading ? "uploaded base.png" : "recovered", line: line)
        try Data(packPicture.body).write(to: URL(fileURLWithPath: folder + "/pack_independent.png"))
        for id in try pack.infoVals().compactMap({ $0["r_id"] as? Int }) {
            let answer = pack.ci("&r_id=\(id)&scaling=independent")
            XCTAssertEqual(answer.status, 200, answer.text, line: line)
            try Data(answer.body).write(to: URL(fileURLWithPath: folder + "/reply_\(id)_independent.png"))
            expected.append("reply_\(id)_independent")
        }
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("python/rcicr_numpy.py").path
        let output = try AnalysisScienceTests.python([script, folder, folder + "/rcicr.csv", folder])
        let report = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: [String: Double]],
                                   output, line: line)
        XCTAssertEqual(Set(report.keys), Set(expected), line: line)
        // The pack's picture within one grey level everywhere. A single reply's CI rests on fewer
        // trials, and Psyx sees the noise through 8-bit stimuli where rcicr uses its exact
        // parameters: a few pixels may be off by two.
        XCTAssertLessThanOrEqual(report["pack_independent"]?["max"] ?? .infinity, 1, output, line: line)
        for (name, difference) in report {
            XCTAssertLessThanOrEqual(difference["max"] ?? .infinity, 2, name, line: line)
            XCTAssertLessThanOrEqual(difference["mean"] ?? .infinity, 0.5, name, line: line)
        }
        print("rcicr_numpy (\(uploading ? "uploaded" : "recovered") base): \(output)")
    }

    /// A base face damaged on disk after the upload fails the analysis like any pack image: named
    /// in the error (a 500 whose log line names it), never a crash or a silent fallback.
    func testDamagedBaseFaceFailsNamingIt() throws {
        let app = try AppHarness(packSize: 6)
        let synthetic = SyntheticPack(width: 16, height: 16, pairs: 6, basisCount: 4, seed: 3)
        let photo = GreyImage(width: 16, height: 16, pixels: (0..<256).map { UInt8($0) })
        let pack = try AnalysisFixture(app: app, synthetic: synthetic, name: "damaged", base: photo)
        pack.submit([1, -1, 1, 1, -1, 0], no: "d1", seed: 1)
        XCTAssertEqual(pack.ci().header("X-Psyx-CI-Base"), "uploaded base.png")
        let path = pack.folder + "/base.png"
        for (bytes, expected) in [(try PNGEncoder.encode(Self.photo), AnalysisError.sizeMismatch(file: "base.png", expected: "16x16", found: "32x32")),
                                  (Array("garbage".utf8), AnalysisError.image(file: "base.png", ImageError("neither a JPEG nor a PNG")))] {
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            let service = AnalysisService(store: app.application.store, data: app.application.data, log: nil)
            XCTAssertThrowsError(try service.ciPNG(packID: Int64(pack.packID))) { XCTAssertEqual($0 as? AnalysisError, expected) }
        }
    }

    /// Little-endian float32, as numpy's `fromfile(dtype="<f4")` reads them.
    static func floats(_ values: [Float]) -> Data {
        var data = Data(capacity: values.count * 4)
        for value in values { withUnsafeBytes(of: value.bitPattern.littleEndian) { data.append(contentsOf: $0) } }
        return data
    }
}
