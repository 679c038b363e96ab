import XCTest
@testable import Psyx

/// `PackNameTable` finds every name of a pack by its exact bytes (short, word-sized, long and
/// non-ASCII names alike) and nothing else: `PackFiles` falls back to a `String` lookup on a
/// miss, so a broken table would only show as lost speed, not as a wrong answer.
final class PackNameTableTests: XCTestCase {
    func testEveryNameIsFoundByItsBytesAndNothingElse() {
        var lookup: [String: PackFiles.Entry] = [:]
        let names = ["", "a", "ab_ori.jpg", "1234567", "12345678", "123456789", "얼굴_00001_inv.jpg", "x_00001_ori.jpg",
                     String(repeating: "long", count: 40) + "_00002_inv.png"]
        for (index, name) in names.enumerated() {
            lookup[name] = PackFiles.Entry(number: index, side: index % 2 == 0 ? .ori : .inv)
        }
        for count in 0..<600 { lookup["bench_\(count)_ori.jpg"] = PackFiles.Entry(number: 100 + count, side: .ori) }
        let table = PackNameTable(lookup)
        for (name, entry) in lookup {
            let found = Array(name.utf8).withUnsafeBufferPointer { table.entry(named: $0) }
            XCTAssertEqual(found?.number, entry.number, name)
            XCTAssertEqual(found?.side, entry.side, name)
        }
        for other in ["b", "1234567 ", "12345679", "x_00001_ori.jpG", "e\u{301}", "bench_600_ori.jpg", "bench_1_ori.jpg\0"] {
            XCTAssertNil(Array(other.utf8).withUnsafeBufferPointer { table.entry(named: $0) }, other)
        }
    }
}
