import XCTest
@testable import Psyx

final class JSONTextTests: XCTestCase {
    private func integer<T: BinaryInteger>(_ value: T) -> String {
        var out: [UInt8] = Array("x".utf8)
        JSONText.appendInteger(value, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    func testIntegersAreWrittenAsTheirDecimalText() {
        for value: Int64 in [0, 1, 9, 10, 99, 100, 12_345, -1, -10, 1_000_000_007, .max, .min, .max - 1, .min + 1] {
            XCTAssertEqual(integer(value), "x" + String(value))
        }
        XCTAssertEqual(integer(UInt64.max), "x18446744073709551615", "beyond Int64 the generic text is used")
        XCTAssertEqual(integer(Int8(-128)), "x-128")
        XCTAssertEqual(integer(UInt16(65_535)), "x65535")
        var random = SeededGenerator(seed: 3)
        for _ in 0..<10_000 {
            let value = Int(bitPattern: UInt(random.next())) >> Int(random.next() % 64)
            XCTAssertEqual(integer(value), "x" + String(value))
        }
    }
}
