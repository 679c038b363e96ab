import XCTest
@testable import FastCGI

final class NameValuePairsTests: XCTestCase {
    private func assertPairs(_ actual: [(name: String, value: String)], _ expected: [(String, String)],
                             file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(actual.map(\.name), expected.map(\.0), file: file, line: line)
        XCTAssertEqual(actual.map(\.value), expected.map(\.1), file: file, line: line)
    }

    func testShortLengthsEncodeAsOneByte() throws {
        let bytes = NameValuePairs.encode([("AB", "xyz"), ("", "")])
        XCTAssertEqual(bytes, [2, 3, 0x41, 0x42, 0x78, 0x79, 0x7A, 0, 0])
        assertPairs(try NameValuePairs.decode(bytes), [("AB", "xyz"), ("", "")])
    }

    func testLengthOf127IsOneByteAnd128IsFourBytes() throws {
        let name127 = String(repeating: "n", count: 127)
        let value128 = String(repeating: "v", count: 128)
        let bytes = NameValuePairs.encode([(name127, value128)])
        XCTAssertEqual(Array(bytes[0..<5]), [127, 0x80, 0x00, 0x00, 0x80])
        XCTAssertEqual(bytes.count, 5 + 127 + 128)
        assertPairs(try NameValuePairs.decode(bytes), [(name127, value128)])

        let swapped = NameValuePairs.encode([(value128, name127)])
        XCTAssertEqual(Array(swapped[0..<5]), [0x80, 0x00, 0x00, 0x80, 127])
        assertPairs(try NameValuePairs.decode(swapped), [(value128, name127)])
    }

    func testValueLongerThan64KiB() throws {
        let value = String(repeating: "q", count: 70_000)  // 0x11170
        let bytes = NameValuePairs.encode([("QUERY_STRING", value)])
        XCTAssertEqual(Array(bytes[0..<5]), [12, 0x80, 0x01, 0x11, 0x70])
        assertPairs(try NameValuePairs.decode(bytes), [("QUERY_STRING", value)])
    }

    func testDecodesFourByteLengthsWrittenByHand() throws {
        // Four-byte form is allowed even for short lengths.
        let bytes: [UInt8] = [0x80, 0, 0, 1, 0x80, 0, 0, 2, 0x4B, 0x76, 0x77]
        assertPairs(try NameValuePairs.decode(bytes), [("K", "vw")])
    }

    func testUTF8NamesAndValuesCountBytesNotCharacters() throws {
        let bytes = NameValuePairs.encode([("HTTP_X", "é✓")])
        XCTAssertEqual(Array(bytes[0..<2]), [6, 5])
        assertPairs(try NameValuePairs.decode(bytes), [("HTTP_X", "é✓")])
    }

    func testInvalidUTF8IsReplacedNotRejected() throws {
        let pairs = try NameValuePairs.decode([1, 1, 0x41, 0xFF])
        assertPairs(pairs, [("A", "\u{FFFD}")])
    }

    func testManyPairsRoundTripInOrder() throws {
        let pairs = (0..<300).map { (name: "NAME_\($0)", value: String(repeating: "x", count: $0)) }
        assertPairs(try NameValuePairs.decode(NameValuePairs.encode(pairs)), pairs.map { ($0.name, $0.value) })
    }

    func testEmptyInputIsNoPairs() throws {
        XCTAssertTrue(try NameValuePairs.decode([]).isEmpty)
        XCTAssertEqual(NameValuePairs.encode([]), [])
    }

    func testTruncationIsMalformed() {
        let good = NameValuePairs.encode([("NAME", String(repeating: "v", count: 200)), ("A", "b")])
        for length in 1..<good.count {
            let prefix = Array(good[..<length])
            // The one prefix that ends exactly between the two pairs is valid.
            if length == 1 + 4 + 4 + 200 { continue }
            XCTAssertThrowsError(try NameValuePairs.decode(prefix), "prefix \(length)") {
                XCTAssertEqual($0 as? FastCGIError, .malformedNameValuePairs)
            }
        }
    }

    func testHugeDeclaredLengthIsMalformedNotACrash() {
        XCTAssertThrowsError(try NameValuePairs.decode([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 1])) {
            XCTAssertEqual($0 as? FastCGIError, .malformedNameValuePairs)
        }
        XCTAssertThrowsError(try NameValuePairs.decode([5])) {
            XCTAssertEqual($0 as? FastCGIError, .malformedNameValuePairs)
        }
    }

    func testMaxCountRefusesOneMore() throws {
        let bytes = NameValuePairs.encode([("A", "1"), ("B", "2"), ("C", "3")])
        XCTAssertEqual(try NameValuePairs.decode(bytes, maxCount: 3).count, 3)
        XCTAssertThrowsError(try NameValuePairs.decode(bytes, maxCount: 2)) {
            XCTAssertEqual($0 as? FastCGIError, .paramsTooLarge)
        }
    }
}
