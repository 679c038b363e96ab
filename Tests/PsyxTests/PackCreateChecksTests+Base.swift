import Foundation
import PsyxTestSupport
import XCTest
@testable import Psyx

/// The optional base face of an upload: kept in the pack folder when it is one real image of the
/// pack's size; otherwise a 400 naming what is wrong, and nothing kept.
extension PackCreateChecksTests {
    /// An 8×8 grey ramp, the size of `TinyImages.jpeg`.
    static func ramp(side: Int = 8, flat: Bool = false) -> GreyImage {
        GreyImage(width: side, height: side, pixels: (0..<(side * side)).map { flat ? 128 : UInt8($0 * 255 / (side * side - 1)) })
    }

    func freshPack(base: [(String, [UInt8])]) -> PackFixture {
        var fixture = PackFixture(name: "fresh", pairs: 3)
        fixture.sex = "1"
        fixture.extraFiles = base.map { ("faces/" + $0.0, $0.1) }
        return fixture
    }

    func testBaseFaceKeptUnderItsLowerCaseName() throws {
        let fixture = freshPack(base: [("Base.PNG", try PNGEncoder.encode(Self.ramp()))])
        XCTAssertEqual(app.upload(fixture.body()).text, "Pack 2 Added.")
        let stored = try FileManager.default.contentsOfDirectory(atPath: app.directory + "/packs/fresh").sorted()
        XCTAssertEqual(stored, (fixture.fileNames + ["base.png"]).sorted())
        XCTAssertEqual(try ImageFile.readGrey(path: app.directory + "/packs/fresh/base.png"), Self.ramp())
    }

    func testBaseFaceAsJPEG() throws {
        let fixture = freshPack(base: [("base.jpeg", try JPEGCodec.encodeGrey(Self.ramp(), quality: 95))])
        XCTAssertEqual(app.upload(fixture.body()).text, "Pack 2 Added.")
        XCTAssertTrue(FileManager.default.fileExists(atPath: app.directory + "/packs/fresh/base.jpeg"))
    }

    func testBadBaseFacesAreRefused() throws {
        let good = try PNGEncoder.encode(Self.ramp())
        assertRefused(freshPack(base: [("base.png", good), ("base.jpg", TinyImages.jpeg)]),
                      "Invalid Base Image: more than one (base.png, base.jpg)")
        assertRefused(freshPack(base: [("base.png", Array("<svg/>".utf8))]), "Invalid Image: base.png")
        assertRefused(freshPack(base: [("base.png", try PNGEncoder.encode(Self.ramp(side: 16)))]),
                      "Invalid Base Image: base.png is 16x16, the pack images are 8x8")
        assertRefused(freshPack(base: [("base.png", try PNGEncoder.encode(Self.ramp(flat: true)))]),
                      "Invalid Base Image: base.png is a single grey level")
        let truncated = Array(good.prefix(good.count - 20))
        let answer = app.upload(freshPack(base: [("base.png", truncated)]).body())
        XCTAssertEqual(answer.status, 400)
        XCTAssertTrue(answer.sentence.hasPrefix("Invalid Base Image: base.png cannot be read (PNG: "), answer.sentence)
        XCTAssertEqual(app.packFolders, ["existing"])
        XCTAssertEqual(app.stagingEntries, [])
        // A base face needs the pack's images to be real images too (their size is compared).
        var signatureOnly = freshPack(base: [("base.png", good)])
        signatureOnly.imageBytes = { _, _ in TinyImages.pngHead }
        assertRefused(signatureOnly, "Invalid Image: \(PackFixture.fileName(1, "ori"))")
    }
}
