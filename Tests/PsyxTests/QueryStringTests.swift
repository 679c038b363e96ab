import Psyx
import XCTest

final class QueryStringTests: XCTestCase {
    func testAdminQueries() {
        XCTAssertEqual(QueryString.parse("id=7"), ["id": "7"])
        XCTAssertEqual(QueryString.parse("id=7&format=csv"), ["id": "7", "format": "csv"])
    }

    func testEmptyAndBareNames() {
        XCTAssertEqual(QueryString.parse(""), [:])
        XCTAssertEqual(QueryString.parse("id"), ["id": ""])
        XCTAssertEqual(QueryString.parse("id=&x"), ["id": "", "x": ""])
    }

    func testLeadingQuestionMarkIsIgnoredOnce() {
        XCTAssertEqual(QueryString.parse("?id=7"), ["id": "7"])
        XCTAssertEqual(QueryString.parse("??id=7"), ["?id": "7"])
    }

    func testSameDecodingRulesAsForms() {
        XCTAssertEqual(QueryString.parse("q=a+b%20c&bad=%zz%4&k=%EA%B9%80"), ["q": "a b c", "bad": "%zz%4", "k": "김"])
        XCTAssertEqual(QueryString.parse("id=7&id=8"), ["id": "7"])
        XCTAssertEqual(QueryString.parse("name=홍길동"), ["name": "홍길동"])
    }
}
