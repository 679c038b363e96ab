import Foundation
import PsyxTestSupport
import XCTest
@testable import Psyx

/// Decoding pack images (JPEG through libjpeg, PNG through zlib) and encoding CI pictures.
final class AnalysisImageTests: XCTestCase {
    func testPNGRoundTrip() throws {
        var random = SeededGenerator(seed: 1)
        let image = GreyImage(width: 37, height: 23, pixels: (0..<(37 * 23)).map { _ in UInt8(random.below(256)) })
        let png = try PNGEncoder.encode(image)
        XCTAssertTrue(png.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        XCTAssertEqual(try PNGDecoder.decodeGrey(png), image)
        XCTAssertEqual(try ImageFile.decodeGrey(png), image)
    }

    /// Every colour type, bit depth and filter the decoder accepts, from PNGs built here.
    func testPNGColourTypesDepthsAndFilters() throws {
        var random = SeededGenerator(seed: 2)
        let width = 9, height = 5
        let rgb = (0..<(width * height)).map { _ in (random.below(256), random.below(256), random.below(256)) }
        let luma = rgb.map { UInt8((299 * $0.0 + 587 * $0.1 + 114 * $0.2 + 500) / 1000) }
        let grey = (0..<(width * height)).map { _ in UInt8(random.below(256)) }
        func rows(_ bytesPerPixel: Int, _ sample: (Int) -> [UInt8]) -> [[UInt8]] {
            (0..<height).map { y in (0..<width).flatMap { x in sample(y * width + x) } }
        }
        let cases: [(String, depth: UInt8, type: UInt8, rows: [[UInt8]], palette: [UInt8], expected: [UInt8])] = [
            ("grey 8", 8, 0, rows(1) { [grey[$0]] }, [], grey),
            ("grey 16", 16, 0, rows(2) { [grey[$0], 0x77] }, [], grey),
            ("grey+alpha", 8, 4, rows(2) { [grey[$0], 0x10] }, [], grey),
            ("rgb 8", 8, 2, rows(3) { [UInt8(rgb[$0].0), UInt8(rgb[$0].1), UInt8(rgb[$0].2)] }, [], luma),
            ("rgba 8", 8, 6, rows(4) { [UInt8(rgb[$0].0), UInt8(rgb[$0].1), UInt8(rgb[$0].2), 0xFF] }, [], luma),
            ("rgb 16", 16, 2, rows(6) { [UInt8(rgb[$0].0), 1, UInt8(rgb[$0].1), 2, UInt8(rgb[$0].2), 3] }, [], luma),
            ("palette 8", 8, 3, rows(1) { [UInt8($0 % 45)] },
             (0..<45).flatMap { [UInt8(rgb[$0].0), UInt8(rgb[$0].1), UInt8(rgb[$0].2)] }, (0..<(width * height)).map { luma[$0 % 45] }),
        ]
        for (name, depth, type, raw, palette, expected) in cases {
            for filter in 0...4 {
                let png = Self.png(width: width, height: height, depth: depth, type: type, rows: raw,
                                   filters: (0..<height).map { UInt8(($0 + filter) % 5) }, palette: palette)
                let image = try PNGDecoder.decodeGrey(png)
                XCTAssertEqual(image.pixels, expected, "\(name), filters from \(filter)")
            }
        }
        // 1-bit grey: 0 → 0, 1 → 255; rows padded to whole bytes.
        let bits = Self.png(width: 10, height: 2, depth: 1, type: 0, rows: [[0b1010_0000, 0b1100_0000], [0xFF, 0x00]], filters: [0, 1])
        XCTAssertEqual(try PNGDecoder.decodeGrey(bits).pixels, [255, 0, 255, 0, 0, 0, 0, 0, 255, 255] + [255, 255, 255, 255, 255, 255, 255, 255, 0, 0])
    }

    func testJPEG() throws {
        XCTAssertEqual(try JPEGCodec.decodeGrey(TinyImages.jpeg).width, 8)
        let synthetic = SyntheticPack(width: 40, height: 24, pairs: 1, seed: 8)
        let image = synthetic.images(0).ori
        let jpeg = try JPEGCodec.encodeGrey(image, quality: 100)
        let decoded = try ImageFile.decodeGrey(jpeg)
        XCTAssertEqual([decoded.width, decoded.height], [40, 24])
        let worst = zip(decoded.pixels, image.pixels).map { abs(Int($0) - Int($1)) }.max() ?? 99
        XCTAssertLessThanOrEqual(worst, 3, "quality 100 is near lossless")
    }

    func testCorruptFilesThrowClearErrors() throws {
        let png = try PNGEncoder.encode(GreyImage(width: 4, height: 3, pixels: Array(0..<12)))
        let jpeg = try JPEGCodec.encodeGrey(GreyImage(width: 16, height: 16, pixels: Array(repeating: 90, count: 256)), quality: 90)
        var badCRC = png
        badCRC[30] ^= 0xFF
        var hugeHeader = Self.png(width: 1, height: 1, depth: 8, type: 0, rows: [[0]], filters: [0])
        hugeHeader.replaceSubrange(16..<24, with: [0, 1, 0x86, 0xA0, 0, 1, 0x86, 0xA0])  // 100000 × 100000
        Self.fixCRC(&hugeHeader, chunkAt: 8)
        var interlaced = png
        interlaced[28] = 1
        Self.fixCRC(&interlaced, chunkAt: 8)
        let cases: [(String, [UInt8], String)] = [
            ("empty", [], "neither a JPEG nor a PNG"),
            ("text", Array("hello".utf8), "neither a JPEG nor a PNG"),
            ("truncated JPEG", Array(jpeg.prefix(jpeg.count / 2)), "JPEG: "),
            ("JPEG header only", Array(jpeg.prefix(4)), "JPEG: "),
            ("JPEG with garbage", Array(jpeg.prefix(20)) + Array(repeating: 0x55, count: 200), "JPEG: "),
            ("bad CRC", badCRC, "PNG: bad CRC"),
            ("truncated PNG", Array(png.prefix(png.count - 20)), "PNG: "),
            ("huge PNG", hugeHeader, "outside the accepted size"),
            ("interlaced PNG", interlaced, "interlaced"),
            ("bad filter", Self.png(width: 2, height: 1, depth: 8, type: 0, rows: [[1, 2]], filters: [7]), "unknown filter type 7"),
            ("palette index", Self.png(width: 2, height: 1, depth: 8, type: 3, rows: [[0, 5]], filters: [0], palette: [1, 2, 3]), "palette index"),
            ("no palette", Self.png(width: 2, height: 1, depth: 8, type: 3, rows: [[0, 0]], filters: [0]), "without PLTE"),
            ("short data", Self.png(width: 2, height: 2, depth: 8, type: 0, rows: [[0, 0]], filters: [0]), "PNG: "),
        ]
        for (name, bytes, expected) in cases {
            XCTAssertThrowsError(try ImageFile.decodeGrey(bytes), name) { error in
                let message = (error as? ImageError)?.message ?? "\(error)"
                XCTAssertTrue(message.contains(expected), "\(name): \(message)")
            }
        }
    }

    /// Thousands of damaged files: each decodes or throws, none traps or exits (libjpeg included).
    func testRandomDamageNeverCrashes() throws {
        let image = SyntheticPack(width: 24, height: 16, pairs: 1, seed: 4).images(0).inv
        let originals = [try PNGEncoder.encode(image), try JPEGCodec.encodeGrey(image, quality: 85)]
        var random = SeededGenerator(seed: 99)
        var decoded = 0, refused = 0
        for round in 0..<1_500 {
            var bytes = originals[round % 2]
            switch random.below(3) {
            case 0: bytes = Array(bytes.prefix(random.below(bytes.count)))
            case 1: for _ in 0...random.below(8) { bytes[random.below(bytes.count)] = UInt8(random.below(256)) }
            default: bytes.insert(contentsOf: (0..<random.below(40)).map { _ in UInt8(random.below(256)) }, at: random.below(bytes.count))
            }
            do {
                let result = try ImageFile.decodeGrey(bytes)
                XCTAssertEqual(result.pixels.count, result.width * result.height)
                decoded += 1
            } catch {
                refused += 1
            }
        }
        XCTAssertGreaterThan(refused, 500)
        XCTAssertEqual(decoded + refused, 1_500)
    }

    func testFittedThumbnail() {
        let image = GreyImage(width: 4, height: 2, pixels: [0, 10, 20, 30, 40, 50, 60, 70])
        XCTAssertEqual(image.fitted(in: 2), GreyImage(width: 2, height: 1, pixels: [25, 45]))
        XCTAssertEqual(image.fitted(in: 8), image)
    }

    // MARK: PNGs built by hand

    static func png(width: Int, height: Int, depth: UInt8, type: UInt8, rows: [[UInt8]], filters: [UInt8],
                    palette: [UInt8] = []) -> [UInt8] {
        let stride = max(1, (type == 2 ? 3 : type == 4 ? 2 : type == 6 ? 4 : 1) * Int(depth) / 8)
        var data: [UInt8] = []
        var previous = [UInt8](repeating: 0, count: rows.first?.count ?? 0)
        for (y, row) in rows.enumerated() {
            let filter = filters[y]
            data.append(filter)
            for (i, value) in row.enumerated() {
                let a = i >= stride ? Int(row[i - stride]) : 0, b = Int(previous[i]), c = i >= stride ? Int(previous[i - stride]) : 0
                let prediction: Int
                switch filter {
                case 1: prediction = a
                case 2: prediction = b
                case 3: prediction = (a + b) / 2
                case 4:
                    let p = a + b - c
                    prediction = abs(p - a) <= abs(p - b) && abs(p - a) <= abs(p - c) ? a : (abs(p - b) <= abs(p - c) ? b : c)
                default: prediction = 0
                }
                data.append(UInt8(truncatingIfNeeded: Int(value) - prediction))
            }
            previous = row
        }
        var file = PNGDecoder.signature
        var header: [UInt8] = []
        PNGEncoder.appendBigEndian(UInt32(width), to: &header)
        PNGEncoder.appendBigEndian(UInt32(height), to: &header)
        header += [depth, type, 0, 0, 0]
        PNGEncoder.appendChunk("IHDR", header, to: &file)
        if !palette.isEmpty { PNGEncoder.appendChunk("PLTE", palette, to: &file) }
        PNGEncoder.appendChunk("IDAT", (try? Zlib.deflate(data, level: 6)) ?? [], to: &file)
        PNGEncoder.appendChunk("IEND", [], to: &file)
        return file
    }

    /// Recomputes the CRC of the chunk starting at `offset` after its data was edited.
    static func fixCRC(_ file: inout [UInt8], chunkAt offset: Int) {
        let length = Int(PNGDecoder.bigEndian(file, at: offset))
        let crc = Zlib.crc32(file[(offset + 4)..<(offset + 8 + length)])
        var bytes: [UInt8] = []
        PNGEncoder.appendBigEndian(crc, to: &bytes)
        file.replaceSubrange((offset + 8 + length)..<(offset + 12 + length), with: bytes)
    }
}
