import Foundation
import XCTest
@testable import Psyx

/// The backup manifest's hash: FIPS 180-4's examples, then Python's hashlib on random data.
final class SHA256Tests: XCTestCase {
    func testKnownVectors() {
        XCTAssertEqual(SHA256.hex(of: []), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(SHA256.hex(of: Array("abc".utf8)), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(SHA256.hex(of: Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)),
                       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        XCTAssertEqual(SHA256.hex(of: Array("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu".utf8)),
                       "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1")
    }

    func testOneMillionAInUnevenChunks() {
        var hasher = SHA256()
        let chunk = [UInt8](repeating: UInt8(ascii: "a"), count: 999)
        var left = 1_000_000
        while left > 0 {
            let count = min(left, chunk.count - left % 7)
            chunk.prefix(count).withUnsafeBytes { hasher.update($0) }
            left -= count
        }
        XCTAssertEqual(hasher.finalizeHex(), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    /// Every length from 0 to 300 (all the padding cases around 55, 56, 63, 64, 65 bytes and their
    /// multiples), then larger ones, each hashed whole and in random pieces, against hashlib.
    func testRandomDataAgainstPythonHashlib() throws {
        var generator = SystemRandomNumberGenerator()
        let lengths = Array(0...300) + [447, 448, 511, 512, 513, 1000, 4095, 4096, 4097, 65_535, 65_536, 65_537, 300_001]
        var inputs: [[UInt8]] = []
        for length in lengths {
            inputs.append((0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) })
        }
        let expected = try Self.pythonDigests(inputs)
        XCTAssertEqual(expected.count, inputs.count)
        for (input, digest) in zip(inputs, expected) {
            XCTAssertEqual(SHA256.hex(of: input), digest, "length \(input.count), whole")
            var hasher = SHA256()
            var offset = 0
            while offset < input.count {
                let count = min(input.count - offset, Int.random(in: 0...130, using: &generator))
                input[offset..<(offset + count)].withUnsafeBytes { hasher.update($0) }
                offset += count
            }
            XCTAssertEqual(hasher.finalizeHex(), digest, "length \(input.count), in pieces")
        }
    }

    /// hashlib's hex digest of each input, one line each (inputs go to python3 as hex lines).
    private static func pythonDigests(_ inputs: [[UInt8]]) throws -> [String] {
        let folder = NSTemporaryDirectory() + "psyx-sha-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let hexLines = inputs.map { $0.map { String(format: "%02x", $0) }.joined() }.joined(separator: "\n") + "\n"
        try hexLines.write(toFile: folder + "/in.txt", atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", """
            import hashlib, sys
            for line in open(sys.argv[1]):
                print(hashlib.sha256(bytes.fromhex(line.strip())).hexdigest())
            """, folder + "/in.txt"]
        _ = FileManager.default.createFile(atPath: folder + "/out.txt", contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: folder + "/out.txt"))
        try process.run()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, "python3 failed")
        return try String(contentsOfFile: folder + "/out.txt", encoding: .utf8).split(separator: "\n").map(String.init)
    }
}
