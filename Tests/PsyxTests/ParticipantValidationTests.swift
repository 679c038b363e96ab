import Foundation
import XCTest
@testable import Psyx

/// The validation matrix of `/api/reply/start`: every field, both sides of every
/// bound, and the JSON types that arrive from real clients (decoded by
/// `JSONParser`, as the server decodes them).
final class ParticipantValidationTests: XCTestCase {
    // MARK: - Helpers

    /// The fields of a valid request, as JSON fragments.
    private static let validFragments: [String: String] = [
        "name": #""홍길동""#, "email": #""a@b.kr""#, "no": #""2020123456""#,
        "sex": "1", "age": "25", "phone": #""010-1234-5678""#,
    ]

    /// A JSON string literal for `text`.
    private func quoted(_ text: String) -> String {
        let data = try? JSONSerialization.data(withJSONObject: text, options: [.fragmentsAllowed])
        return data.flatMap { String(data: $0, encoding: .utf8) } ?? "null"
    }

    /// Decodes the valid request with some fields replaced by JSON fragments (nil removes the field).
    private func validate(_ overrides: [String: String?]) -> Result<Participant, ParticipantError> {
        var fragments = Self.validFragments
        for (key, fragment) in overrides { fragments[key] = fragment }
        let body = "{" + fragments.map { "\(quoted($0.key)): \($0.value)" }.joined(separator: ", ") + "}"
        return Result { () throws(ParticipantError) in try Participant(jsonBody: Data(body.utf8)) }
    }

    private func assertAccepted(
        _ key: String, _ fragment: String, file: StaticString = #filePath, line: UInt = #line
    ) {
        if case .failure(let error) = validate([key: fragment]) {
            XCTFail("\(key) = \(fragment) rejected: \(error.message)", file: file, line: line)
        }
    }

    private func assertRejected(
        _ key: String, _ fragment: String?, _ message: String? = nil,
        file: StaticString = #filePath, line: UInt = #line
    ) {
        switch validate([key: fragment]) {
        case .success(let participant):
            XCTFail("\(key) = \(fragment ?? "missing") accepted as \(participant)", file: file, line: line)
        case .failure(let error):
            let label = ParticipantError.Field.allCases.first { $0.key == key }?.rawValue ?? "?"
            XCTAssertTrue(error.message.hasPrefix("Invalid \(label): "), error.message, file: file, line: line)
            if let message { XCTAssertEqual(error.message, message, file: file, line: line) }
        }
    }

    private func accepted(_ key: String, _ fragment: String) -> Participant? {
        try? validate([key: fragment]).get()
    }

    // MARK: - Whole request

    func testValidRequestGivesParticipant() throws {
        let participant = try validate([:]).get()
        XCTAssertEqual(participant, Participant(
            name: "홍길동", email: "a@b.kr", no: "2020123456", sex: 1, age: 25, phone: "010-1234-5678"))
    }

    func testExtraKeysAreIgnored() {
        XCTAssertNoThrow(try validate(["answers": "[[\"F\", 0.5, \"a\", \"b\"]]", "p_id": "3"]).get())
    }

    func testBodyThatIsNotAJSONObjectIsInvalidInput() {
        for body in ["", "not json", "[1, 2]", #""홍길동""#, "42", "null", "{\"name\": "] {
            XCTAssertThrowsError(try Participant(jsonBody: Data(body.utf8)), body) { error in
                XCTAssertEqual(error as? ParticipantError, .invalidInput, body)
                XCTAssertEqual((error as? ParticipantError)?.message, "Invalid Input")
            }
        }
    }

    func testEmptyObjectFailsOnNameFirst() {
        XCTAssertThrowsError(try Participant(jsonBody: Data("{}".utf8))) { error in
            XCTAssertEqual((error as? ParticipantError)?.message, "Invalid Name: ")
        }
    }

    func testFieldsAreCheckedInDocumentedOrder() {
        var overrides: [String: String?] = [
            "name": #""1""#, "email": #""x""#, "no": #""-""#, "sex": "3", "age": "121", "phone": #""x""#,
        ]
        for key in ["name", "email", "no", "sex", "age", "phone"] {
            guard case .failure(let error) = validate(overrides) else {
                return XCTFail("accepted with \(key) still invalid")
            }
            let label = ParticipantError.Field.allCases.first { $0.key == key }?.rawValue ?? "?"
            XCTAssertTrue(error.message.hasPrefix("Invalid \(label): "), "\(key): \(error.message)")
            overrides[key] = Self.validFragments[key]
        }
        XCTAssertNoThrow(try validate(overrides).get())
    }

    // MARK: - Name

    func testNamesOfManyScriptsPass() {
        for name in ["홍길동", "이산", "José María", "O'Brien", "O’Brien", "Anne-Marie", "Nguyễn Văn A", "Иван",
                     "山田太郎", "李娜", "محمد", "अनिल", "J. R. Smith", "Smith Jr.", "Al", "Ἀλέξανδρος"] {
            assertAccepted("name", quoted(name))
        }
    }

    func testNameIsTrimmedCollapsedAndComposed() {
        XCTAssertEqual(accepted("name", quoted("  홍길동 ")).map(\.name), "홍길동")
        XCTAssertEqual(accepted("name", quoted("Anne \t Marie")).map(\.name), "Anne Marie")
        XCTAssertEqual(accepted("name", quoted("Jose\u{301}")).map(\.name), "Jos\u{E9}")
    }

    func testBadNamesFail() {
        assertRejected("name", quoted("홍"), "Invalid Name: 홍")
        assertRejected("name", quoted("<script>"), "Invalid Name: <script>")
        assertRejected("name", quoted(""), "Invalid Name: ")
        for name in ["   ", "A", "John3", "123", "-Anne", "Anne-", "O''Brien", ".John", "John..", "'Brien",
                     "Anne -Marie", "John_Smith", "홍길동!", "😀😀", "a\u{0}b", "١٢٣"] {
            assertRejected("name", quoted(name))
        }
    }

    func testNameLengthBounds() {
        assertRejected("name", quoted("A"))
        assertAccepted("name", quoted("Al"))
        assertAccepted("name", quoted(String(repeating: "a", count: 64)))
        assertRejected("name", quoted(String(repeating: "a", count: 65)))
        assertAccepted("name", quoted(String(repeating: "가", count: 64)))
        assertRejected("name", quoted(String(repeating: "가", count: 65)))
    }

    func testNameOfWrongTypeFails() {
        assertRejected("name", "true", "Invalid Name: true")
        assertRejected("name", "null", "Invalid Name: null")
        assertRejected("name", nil, "Invalid Name: ")
        assertRejected("name", #"["홍길동"]"#, #"Invalid Name: ["홍길동"]"#)
        assertRejected("name", "12", "Invalid Name: 12")
    }

    // MARK: - Message text

    func testLongValuesAreCutInTheMessage() {
        let long = String(repeating: "a", count: 100) + "1"
        assertRejected("name", quoted(long), "Invalid Name: " + String(repeating: "a", count: 64) + "…")
        let stacked = "a" + String(repeating: "\u{301}", count: 5000)
        guard case .failure(let error) = validate(["name": quoted(stacked)]) else { return XCTFail("accepted") }
        XCTAssertLessThan(error.message.unicodeScalars.count, 300)
    }

    func testControlCharactersAreNotEchoed() {
        assertRejected("name", quoted("a\u{0}b\nc1"), "Invalid Name: a\u{FFFD}b\u{FFFD}c1")
    }

    func testLoggableMessageLeavesTheValueOut() {
        guard case .failure(let error) = validate(["phone": quoted("010-CALL-ME")]) else { return XCTFail("accepted") }
        XCTAssertEqual(error.field, .phone)
        XCTAssertEqual(error.message, "Invalid Phone Number: 010-CALL-ME")
        XCTAssertEqual(error.loggableMessage, "Invalid Phone Number")
        XCTAssertEqual(ParticipantError.invalidInput.loggableMessage, "Invalid Input")
    }

    // MARK: - Email

    func testEmails() {
        for email in ["a@b.kr", "first.last+tag@sub.example.co.kr", "x_y-z@mail-server.com", "a@例え.jp"] {
            assertAccepted("email", quoted(email))
        }
        for email in ["", "ab.kr", "a@@b.kr", "a@b@c.kr", "a b@c.kr", "a@b", "a@b.c", ".a@b.kr", "a.@b.kr",
                      "a..b@c.kr", "a@-b.kr", "a@b-.kr", "a@b.123", "a@.kr", "@b.kr", "a@b.kr.", "a@b..kr",
                      "홍@b.kr", "a<b>@c.kr"] {
            assertRejected("email", quoted(email))
        }
        assertRejected("email", quoted("nope"), "Invalid Email Address: nope")
        assertRejected("email", "false", "Invalid Email Address: false")
        assertRejected("email", nil)
    }

    func testEmailLengthBound() {
        let domain = "@example.kr"  // 11 characters
        let at47 = String(repeating: "a", count: 36) + domain
        let at48 = String(repeating: "a", count: 37) + domain
        XCTAssertEqual(at47.count, 47)
        assertAccepted("email", quoted(at47))
        assertRejected("email", quoted(at48))
        XCTAssertEqual(accepted("email", quoted(" a@b.kr ")).map(\.email), "a@b.kr")
    }

    // MARK: - Experiment number

    func testExperimentNumbers() {
        for no in ["2020123456", "AB12", "1", "x", String(repeating: "9", count: 19)] {
            assertAccepted("no", quoted(no))
        }
        for no in ["", " ", String(repeating: "9", count: 20), "2020-1234", "20 20", "학번123", "١٢٣", "a.b"] {
            assertRejected("no", quoted(no))
        }
        assertRejected("no", quoted("2020-1234"), "Invalid ExperimentNo.: 2020-1234")
    }

    func testExperimentNumberAsJSONNumber() {
        XCTAssertEqual(accepted("no", "2020123456").map(\.no), "2020123456")
        assertRejected("no", "-5", "Invalid ExperimentNo.: -5")
        assertRejected("no", "1.5", "Invalid ExperimentNo.: 1.5")
        assertRejected("no", "true", "Invalid ExperimentNo.: true")
        assertRejected("no", "null")
        assertRejected("no", nil)
    }

    // MARK: - Sex

    func testSex() {
        XCTAssertEqual(accepted("sex", "1").map(\.sex), 1)
        XCTAssertEqual(accepted("sex", "2").map(\.sex), 2)
        XCTAssertEqual(accepted("sex", #""2""#).map(\.sex), 2)
        XCTAssertEqual(accepted("sex", "2.0").map(\.sex), 2)
        assertRejected("sex", "0", "Invalid Sex: 0")
        assertRejected("sex", "3", "Invalid Sex: 3")
        assertRejected("sex", "true", "Invalid Sex: true")
        assertRejected("sex", "false", "Invalid Sex: false")
        assertRejected("sex", "null", "Invalid Sex: null")
        assertRejected("sex", "[1]", "Invalid Sex: [1]")
        assertRejected("sex", #"{"v":1}"#, #"Invalid Sex: {"v":1}"#)
        assertRejected("sex", "1.5", "Invalid Sex: 1.5")
        assertRejected("sex", #""male""#, "Invalid Sex: male")
        assertRejected("sex", #""""#, "Invalid Sex: ")
        assertRejected("sex", nil, "Invalid Sex: ")
    }

    /// Values built in Swift rather than decoded: a `Bool` must not pass as 1.
    func testNativeSwiftValues() throws {
        var object: [String: JSONValue] = [
            "name": .string("이산"), "email": .string("a@b.kr"), "no": .string("7"), "sex": .number(2), "age": .number(30),
            "phone": .string("02-123-4567"),
        ]
        XCTAssertEqual(try Participant(json: object).age, 30)
        object["sex"] = .bool(true)
        XCTAssertThrowsError(try Participant(json: object)) { error in
            XCTAssertEqual((error as? ParticipantError)?.message, "Invalid Sex: true")
        }
        object["sex"] = .number(1)
        object["age"] = .number(25.5)
        XCTAssertThrowsError(try Participant(json: object)) { error in
            XCTAssertEqual((error as? ParticipantError)?.message, "Invalid Age: 25.5")
        }
    }

    // MARK: - Age

    func testAgeBounds() {
        assertRejected("age", "-1", "Invalid Age: -1")
        XCTAssertEqual(accepted("age", "0").map(\.age), 0)
        XCTAssertEqual(accepted("age", "120").map(\.age), 120)
        assertRejected("age", "121", "Invalid Age: 121")
        XCTAssertEqual(accepted("age", #""25""#).map(\.age), 25)
        XCTAssertEqual(accepted("age", #"" 30 ""#).map(\.age), 30)
        XCTAssertEqual(accepted("age", "25.0").map(\.age), 25)
        assertRejected("age", #""-1""#, "Invalid Age: -1")
        assertRejected("age", #""121""#, "Invalid Age: 121")
    }

    func testAgeOfWrongShapeFails() {
        assertRejected("age", "25.5", "Invalid Age: 25.5")
        assertRejected("age", #""25.5""#, "Invalid Age: 25.5")
        assertRejected("age", #""abc""#, "Invalid Age: abc")
        assertRejected("age", "true", "Invalid Age: true")
        assertRejected("age", "null", "Invalid Age: null")
        assertRejected("age", "[25]", "Invalid Age: [25]")
        assertRejected("age", "1e20")
        assertRejected("age", "12345678901234567890123")
        assertRejected("age", #""99999999999999999999""#)
        assertRejected("age", nil, "Invalid Age: ")
    }

    // MARK: - Phone

    func testPhoneForms() {
        for phone in ["010-1234-5678", "01012345678", "02-123-4567", "+82 10 1234 5678", "+1 (415) 555-0100",
                      "+44 20 7946 0958", "010.1234.5678", "(02) 123-4567"] {
            assertAccepted("phone", quoted(phone))
        }
        for phone in ["", "010-1234-567a", "010 CALL NOW", "1+2345678", "(02)) 123 4567", "((02) 123-4567",
                      "02) 123-4567", "(02 123-4567", "010/1234/5678", "０１０-1234-5678",
                      "1" + String(repeating: " ", count: 30) + "234567"] {
            assertRejected("phone", quoted(phone))
        }
        assertRejected("phone", quoted("call me"), "Invalid Phone Number: call me")
        assertRejected("phone", "1012345678", "Invalid Phone Number: 1012345678")
        assertRejected("phone", nil, "Invalid Phone Number: ")
    }

    func testPhoneDigitBounds() {
        assertRejected("phone", quoted("123-456"))
        assertAccepted("phone", quoted("123-4567"))
        assertAccepted("phone", quoted("+123 4567 8901 2345"))
        assertRejected("phone", quoted("+123 4567 8901 23456"))
        XCTAssertEqual(accepted("phone", quoted(" 010-1234-5678\n")).map(\.phone), "010-1234-5678")
    }
}
