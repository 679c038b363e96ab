import XCTest
@testable import Psyx

/// `PackFiles` finds every name of a pack by its exact bytes (short, word-sized, long and
/// non-ASCII names alike) and nothing else in `byBytes`; `entry(named:)` falls back to a `String`
/// lookup on a miss, so a broken table would only show as lost speed, not as a wrong answer —
/// hence the table is checked on its own here.
final class PackFilesTests: XCTestCase {
    static let names = ["", "a", "ab_ori.jpg", "1234567", "12345678", "123456789", "얼굴_00001_inv.jpg", "x_00001_ori.jpg",
                        String(repeating: "long", count: 40) + "_00002_inv.png", "caf\u{E9}_00003_ori.jpg"]
        + (0..<600).map { "bench_\($0)_ori.jpg" }

    static func pack() -> Pack {
        let pairs = stride(from: 0, to: names.count, by: 2).map {
            PackPair(number: $0 / 2 + 1, ori: names[$0], inv: names[$0 + 1])
        }
        return Pack(id: 1, name: "p", sex: 1, ageMin: 20, ageMax: 29, date: "2026-01-01T00:00:00Z", pairs: pairs)
    }

    func testEveryNameIsFoundByItsBytesAndNothingElse() {
        let files = PackFiles(Self.pack())
        XCTAssertEqual(files.lookup.count, Self.names.count)
        XCTAssertEqual(files.byBytes.count, Self.names.count)
        for (index, name) in Self.names.enumerated() {
            let found = Array(name.utf8).withUnsafeBufferPointer { files.byBytes[$0] }
            XCTAssertEqual(found?.number, index / 2 + 1, name)
            XCTAssertEqual(found?.side, index % 2 == 0 ? .ori : .inv, name)
        }
        for other in ["b", "1234567 ", "12345679", "x_00001_ori.jpG", "e\u{301}", "bench_600_ori.jpg", "bench_1_ori.jpg\0",
                      "cafe\u{301}_00003_ori.jpg"] {
            XCTAssertNil(Array(other.utf8).withUnsafeBufferPointer { files.byBytes[$0] }, other)
        }
    }

    /// A canonically equivalent spelling misses the byte table but is still found, as `lookup` finds it.
    func testEntryNamedFallsBackToStringEquality() {
        let files = PackFiles(Self.pack())
        let decomposed = Array("cafe\u{301}_00003_ori.jpg".utf8)
        let found = decomposed.withUnsafeBufferPointer { files.entry(named: $0) }
        XCTAssertEqual(found?.number, 5)
        XCTAssertEqual(found?.side, .inv)
        XCTAssertEqual(Array("ab_ori.jpg".utf8).withUnsafeBufferPointer { files.entry(named: $0) }?.number, 2)
        XCTAssertNil(Array("nope.jpg".utf8).withUnsafeBufferPointer { files.entry(named: $0) })
        XCTAssertNil([0xFF, 0xFE].withUnsafeBufferPointer { files.entry(named: $0) })
    }
}
