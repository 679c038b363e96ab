import Foundation
import XCTest
@testable import Psyx

/// `JSONParser`: every kind of value, the strict RFC 8259 refusals, exact numbers,
/// and agreement with `JSONSerialization` wherever both accept.
final class JSONParserTests: XCTestCase {
    private func parse(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> JSONValue? {
        do { return try JSONParser.parse(Array(text.utf8)) } catch {
            XCTFail("\(text) refused: \(error)", file: file, line: line)
            return nil
        }
    }

    private func assertRefused(_ bytes: [UInt8], _ reason: JSONParseError.Reason, _ label: String,
                               file: StaticString = #filePath, line: UInt = #line) {
        do {
            let value = try JSONParser.parse(bytes)
            XCTFail("\(label) accepted as \(value)", file: file, line: line)
        } catch {
            XCTAssertEqual(error.reason, reason, label, file: file, line: line)
        }
    }

    private func assertRefused(_ text: String, _ reason: JSONParseError.Reason, file: StaticString = #filePath, line: UInt = #line) {
        assertRefused(Array(text.utf8), reason, text, file: file, line: line)
    }

    private func number(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> JSONNumber? {
        guard case .number(let number) = parse(text, file: file, line: line) else {
            XCTFail("\(text) is not a number", file: file, line: line)
            return nil
        }
        return number
    }

    // MARK: - Valid documents

    func testLiteralsAndContainers() {
        XCTAssertEqual(parse("null"), .null)
        XCTAssertEqual(parse("true"), .bool(true))
        XCTAssertEqual(parse(" \t\r\nfalse \n"), .bool(false))
        XCTAssertEqual(parse("[]"), .array([]))
        XCTAssertEqual(parse("{}"), .object([:]))
        XCTAssertEqual(parse(#"[1, "a", true, null, [], {}]"#),
                       .array([.number(1), .string("a"), .bool(true), .null, .array([]), .object([:])]))
        XCTAssertEqual(parse(#" { "a" : [ { "b" : null } ] , "c":-1 } "#),
                       .object(["a": .array([.object(["b": .null])]), "c": .number(-1)]))
        XCTAssertEqual(parse("\u{FEFF}[1]"), .array([.number(1)]), "a UTF-8 byte-order mark is skipped")
    }

    func testBooleansAreNotNumbers() {
        XCTAssertNotEqual(parse("true"), .number(1))
        XCTAssertNil(parse("true")?.doubleValue)
        XCTAssertNotEqual(parse("0"), .bool(false))
    }

    func testDuplicateKeysKeepTheLastValue() {
        XCTAssertEqual(parse(#"{"a": 1, "a": 2}"#), .object(["a": .number(2)]))
    }

    func testNumbers() {
        let cases: [(String, Double)] = [
            ("0", 0), ("7", 7), ("-1", -1), ("25", 25), ("25.0", 25), ("0.1", 0.1), ("-0.5", -0.5),
            ("1e2", 100), ("1E2", 100), ("1e+2", 100), ("2.5e-3", 0.0025), ("123456789012345", 123456789012345),
            ("9007199254740993", 9007199254740992), ("12345678901234567890123", 1.2345678901234568e22),
            ("0.30000000000000004", 0.30000000000000004), ("1e308", 1e308), ("1e-400", 0),
            ("0.000001234", 0.000001234), ("1.7976931348623157e308", .greatestFiniteMagnitude),
        ]
        for (text, value) in cases {
            XCTAssertEqual(number(text)?.value, value, text)
            XCTAssertEqual(number(text)?.text, text)
        }
        XCTAssertEqual(number("-0")?.value.sign, .minus)
        XCTAssertEqual(number("-0.0")?.value.sign, .minus)
    }

    /// The digit fast path must give exactly what `strtod` gives.
    func testNumbersAgreeWithStrtod() {
        var random = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let digits = String(UInt64.random(in: 0...UInt64.max, using: &random)).prefix(Int.random(in: 1...19, using: &random))
            let integer = digits.first == "0" ? "0" : String(digits)
            let fraction = Bool.random(using: &random) ? "" : "." + String(Int.random(in: 0...999_999_999, using: &random))
            let exponent = Bool.random(using: &random) ? "" : "e" + String(Int.random(in: -30...30, using: &random))
            let text = (Bool.random(using: &random) ? "-" : "") + integer + fraction + exponent
            guard let expected = Double(text) else { return XCTFail("strtod refused \(text)") }
            XCTAssertEqual(number(text)?.value, expected, text)
        }
    }

    func testNumberDescriptionKeepsTheOldMessageSpelling() {
        XCTAssertEqual(number("25")?.description, "25")
        XCTAssertEqual(number("-0")?.description, "0")
        XCTAssertEqual(number("25.5")?.description, "25.5")
        XCTAssertEqual(number("25.0")?.description, "25.0")
        XCTAssertEqual(number("1e20")?.description, "1e+20")
        XCTAssertEqual(number("12345678901234567890123")?.description, "12345678901234567890123")
    }

    func testStringEscapes() {
        XCTAssertEqual(parse(#""a\"b\\c\/d\be\ff\ng\rh\ti""#), .string("a\"b\\c/d\u{8}e\u{C}f\ng\rh\ti"))
        XCTAssertEqual(parse(#""\u0041\u00e9\u00E9\u0000""#), .string("A\u{E9}\u{E9}\u{0}"))
        XCTAssertEqual(parse(#""\ud83d\ude00 \uD834\uDD1E""#), .string("😀 𝄞"))
        XCTAssertEqual(parse(#""""#), .string(""))
        XCTAssertEqual(parse(#"{"\u006Bey": "v"}"#), .object(["key": .string("v")]))
    }

    func testHangulRawAndEscaped() {
        XCTAssertEqual(parse(#""홍길동""#), .string("홍길동"))
        XCTAssertEqual(parse(#""\ud64d\uae38\ub3d9""#), .string("홍길동"))
        XCTAssertEqual(parse(#""홍\uae38동 😀""#), .string("홍길동 😀"))
    }

    func testCompactTextAsMessagesShowIt() {
        XCTAssertEqual(parse(#"{"v":1,"a":["x/y","홍",1.0,25.5,true,null,"\n"]}"#)?.compactText,
                       #"{"a":["x\/y","홍",1,25.5,true,null,"\n"],"v":1}"#)
    }

    // MARK: - Refusals

    func testSyntaxErrors() {
        assertRefused("", .empty)
        assertRefused("   ", .empty)
        assertRefused("[1,]", .unexpectedByte)
        assertRefused(#"{"a":1,}"#, .unexpectedByte)
        assertRefused("[1 2]", .unexpectedByte)
        assertRefused("{1: 2}", .unexpectedByte)
        assertRefused(#"{"a" 1}"#, .unexpectedByte)
        assertRefused("[1] x", .trailingBytes)
        assertRefused("1 2", .trailingBytes)
        assertRefused("// c\n1", .unexpectedByte)
        assertRefused("[1 /* c */]", .unexpectedByte)
        assertRefused("NaN", .unexpectedByte)
        assertRefused("tru", .unexpectedEnd)
        assertRefused("nul1", .unexpectedByte)
        assertRefused("'a'", .unexpectedByte)
        assertRefused("[", .unexpectedEnd)
        assertRefused(#"{"a":"#, .unexpectedEnd)
        assertRefused(#"{"a""#, .unexpectedEnd)
        assertRefused(#""abc"#, .unexpectedEnd)
        assertRefused(#""abc\"#, .unexpectedEnd)
        assertRefused("\u{A0}1", .unexpectedByte)
    }

    func testBadNumbers() {
        let cases: [(String, JSONParseError.Reason)] = [
            ("01", .invalidNumber), ("-01", .invalidNumber), ("00", .invalidNumber), ("1.", .invalidNumber),
            ("-", .invalidNumber), ("1e", .invalidNumber), ("1e+", .invalidNumber), ("-.5", .invalidNumber),
            ("1.e3", .invalidNumber), ("--1", .invalidNumber), (".5", .unexpectedByte), ("+1", .unexpectedByte),
            ("0x10", .trailingBytes), ("[-]", .invalidNumber),
        ]
        for (text, reason) in cases { assertRefused(text, reason) }
        assertRefused("1e400", .numberOutOfRange)
        assertRefused("-1e400", .numberOutOfRange)
        assertRefused("1" + String(repeating: "0", count: 400), .numberOutOfRange)
        assertRefused("Infinity", .unexpectedByte)
    }

    func testBadStrings() {
        assertRefused(#""\ud800""#, .loneSurrogate)
        assertRefused(#""\udc00\ud800""#, .loneSurrogate)
        assertRefused(#""\ud800\u0041""#, .loneSurrogate)
        assertRefused(#""\ud800x""#, .loneSurrogate)
        assertRefused(#""\x41""#, .invalidEscape)
        assertRefused(#""\u00G1""#, .invalidEscape)
        assertRefused(#""\u00"#, .unexpectedEnd)
        for control in [0x00, 0x01, 0x0A, 0x09, 0x1F] as [UInt8] {
            assertRefused([0x22, 0x61, control, 0x22], .controlCharacter, "raw control \(control)")
            assertRefused([0x22, 0x5C, 0x6E, control, 0x22], .controlCharacter, "raw control \(control) after an escape")
        }
        assertRefused([0x22, 0xFF, 0x22], .invalidUTF8, "byte FF")
        assertRefused([0x22, 0xC3, 0x22], .invalidUTF8, "cut two-byte sequence")
        assertRefused([0x22, 0xC0, 0xAF, 0x22], .invalidUTF8, "overlong slash")
        assertRefused([0x22, 0xED, 0xA0, 0x80, 0x22], .invalidUTF8, "encoded surrogate")
        assertRefused([0x22, 0x5C, 0x6E, 0xE4, 0x22], .invalidUTF8, "cut sequence after an escape")
        assertRefused([0x5B, 0x00, 0x31, 0x00, 0x5D, 0x00], .unexpectedByte, "UTF-16")
    }

    func testDepthLimit() {
        let limit = JSONParser.maximumDepth
        let deepest = String(repeating: "[", count: limit) + String(repeating: "]", count: limit)
        XCTAssertNotNil(parse(deepest))
        assertRefused("[" + deepest + "]", .tooDeep)
        assertRefused(String(repeating: #"{"a":"#, count: limit + 1) + "1" + String(repeating: "}", count: limit + 1), .tooDeep)
        assertRefused(String(repeating: "[", count: 100_000), .tooDeep)
    }

    func testErrorsCarryTheOffset() {
        XCTAssertThrowsError(try JSONParser.parse("[1,]")) { error in
            XCTAssertEqual(error as? JSONParseError, JSONParseError(.unexpectedByte, at: 3))
        }
    }
}
