import Psyx
import XCTest

final class FormURLEncodedTests: XCTestCase {
    func testRelocationClientBody() {
        XCTAssertEqual(FormURLEncoded.parse("cid=7&count=1964"), ["cid": "7", "count": "1964"])
    }

    func testPlusIsSpaceAndPercentEscapesAreBytes() {
        XCTAssertEqual(FormURLEncoded.parse("a=1&b=%20x+y"), ["a": "1", "b": " x y"])
        XCTAssertEqual(FormURLEncoded.parse("p=%2B+%2b&q=%26%3D"), ["p": "+ +", "q": "&="])
        XCTAssertEqual(FormURLEncoded.parse("first+name=Ann&a%20b=1"), ["first name": "Ann", "a b": "1"])
    }

    func testMalformedPercentEscapesAreKeptAsTheyAre() {
        XCTAssertEqual(FormURLEncoded.parse("a=%zz&b=%4&c=%&d=%%41&e=100%"),
                       ["a": "%zz", "b": "%4", "c": "%", "d": "%A", "e": "100%"])
        XCTAssertEqual(FormURLEncoded.parse("%g1=x"), ["%g1": "x"])
    }

    func testEmptyValuesMissingEqualsAndEmptyPairs() {
        XCTAssertEqual(FormURLEncoded.parse("a=&b&&c=3&"), ["a": "", "b": "", "c": "3"])
        XCTAssertEqual(FormURLEncoded.parse("=x"), ["": "x"])
        XCTAssertEqual(FormURLEncoded.parse("a=b=c"), ["a": "b=c"])
        XCTAssertEqual(FormURLEncoded.parse(""), [:])
        XCTAssertEqual(FormURLEncoded.parse("&&&"), [:])
    }

    func testSemicolonIsNotASeparator() {
        XCTAssertEqual(FormURLEncoded.parse("a=1;b=2"), ["a": "1;b=2"])
    }

    func testFirstDuplicateWins() {
        XCTAssertEqual(FormURLEncoded.parse("cid=7&count=1&cid=8"), ["cid": "7", "count": "1"])
        XCTAssertEqual(FormURLEncoded.parse("a&a=2"), ["a": ""])
    }

    func testHangulEscapedAndRaw() {
        XCTAssertEqual(FormURLEncoded.parse("name=%ED%99%8D%EA%B8%B8%EB%8F%99"), ["name": "홍길동"])
        XCTAssertEqual(FormURLEncoded.parse("name=홍길동&%EC%84%B1=남"), ["name": "홍길동", "성": "남"])
        XCTAssertEqual(FormURLEncoded.parse(Array("이름=김+철수".utf8)), ["이름": "김 철수"])
    }

    func testInvalidUTF8IsRepaired() {
        XCTAssertEqual(FormURLEncoded.parse("a=%FF&b=%ED%99"), ["a": "\u{FFFD}", "b": "\u{FFFD}"])
        XCTAssertEqual(FormURLEncoded.parse([0x61, 0x3D, 0xC3, 0x26, 0x62, 0x3D, 0x31]), ["a": "\u{FFFD}", "b": "1"])
    }

    func testBytesAndStringAgree() {
        let samples = ["a=1&b=%20x+y", "x=%ED%99%8D&y", "=&=&a==", "%", "+=+"]
        for sample in samples {
            XCTAssertEqual(FormURLEncoded.parse(Array(sample.utf8)), FormURLEncoded.parse(sample), sample)
        }
        XCTAssertEqual(FormURLEncoded.parse("+=+"), [" ": " "])
    }
}
