import XCTest
@testable import FastCGI

/// `Params` looks names up in the raw PARAMS bytes; these feed it bytes as Nginx sends them.
final class ParamsTests: XCTestCase {
    private func params(_ pairs: [(String, String)]) throws -> Params {
        try NameValuePairs.decodeParams(NameValuePairs.encode(pairs.map { (name: $0.0, value: $0.1) }), maxCount: 1000)
    }

    func testLooksUpEachNameAndNothingElse() throws {
        let p = try params([("REQUEST_METHOD", "POST"), ("REQUEST_URI", "/api/x?y=1"), ("CONTENT_LENGTH", ""), ("HTTP_HOST", "h:8080")])
        XCTAssertEqual(p["REQUEST_METHOD"], "POST")
        XCTAssertEqual(p["REQUEST_URI"], "/api/x?y=1")
        XCTAssertEqual(p["CONTENT_LENGTH"], "", "an empty value is present, not absent")
        XCTAssertEqual(p["HTTP_HOST"], "h:8080")
        XCTAssertNil(p["REQUEST"], "a prefix of a name is not that name")
        XCTAssertNil(p["REQUEST_METHODS"])
        XCTAssertNil(p["request_method"], "names are compared exactly")
        XCTAssertNil(p[""])
        XCTAssertEqual(p.count, 4)
    }

    func testLastValueOfARepeatedNameWins() throws {
        let p = try params([("A", "1"), ("B", "2"), ("A", "3")])
        XCTAssertEqual(p["A"], "3")
        XCTAssertEqual(p.count, 3)
        XCTAssertEqual(p.dictionary, ["A": "3", "B": "2"])
    }

    func testInvalidUTF8BecomesReplacementCharacters() throws {
        let bytes: [UInt8] = [1, 3, 0x58, 0x61, 0xFF, 0x62, 4, 1, 0xC3, 0xA9, 0x74, 0xC3, 0x41]
        let p = try NameValuePairs.decodeParams(bytes, maxCount: 10)
        XCTAssertEqual(p["X"], "a\u{FFFD}b")
        // Names are matched as sent: a broken name is not found under its repaired text, only listed with it.
        XCTAssertNil(p["ét\u{FFFD}"])
        XCTAssertEqual(p.dictionary["ét\u{FFFD}"], "A")
    }

    func testMalformedAndTooManyPairsAreRefused() {
        XCTAssertThrowsError(try NameValuePairs.decodeParams([5, 1, 0x41], maxCount: 10)) {
            XCTAssertEqual($0 as? FastCGIError, .malformedNameValuePairs)
        }
        XCTAssertThrowsError(try NameValuePairs.decodeParams([1, 0, 0x41, 1, 0, 0x42], maxCount: 1)) {
            XCTAssertEqual($0 as? FastCGIError, .paramsTooLarge)
        }
    }

    func testBuiltFromStringsOrALiteralItEqualsTheDecodedBytes() throws {
        let decoded = try params([("A", "1"), ("Ü", "ö")])
        XCTAssertEqual(decoded, ["A": "1", "Ü": "ö"])
        XCTAssertEqual(Params(["Ü": "ö", "A": "1"]), decoded)
        XCTAssertEqual(Params([(name: "A", value: "1"), (name: "Ü", value: "ö")])["Ü"], "ö")
        XCTAssertNotEqual(decoded, ["A": "1"])
    }
}
