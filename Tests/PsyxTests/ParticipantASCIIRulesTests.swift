import Foundation
import XCTest
@testable import Psyx

/// The byte-level rules for ASCII text must decide exactly as the general rules.
final class ParticipantASCIIRulesTests: XCTestCase {
    private let alphabet = Array("aZ09@.-_+()' \t\r\n\u{0B}\u{0C}!#$%&*/=?^`{|}~\"\\,;:<>[]x") + ["\r\n"]

    private func randomText(_ random: inout SeededGenerator, maxLength: Int) -> String {
        let length = Int(random.next() % UInt64(maxLength + 1))
        return String((0..<length).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] })
    }

    private func realistic(_ random: inout SeededGenerator) -> String {
        let pieces = ["a", "b.c", "x-y", "@", "example", ".com", ".kr", "..", "-", "1", "+82", " ", "(02)", "123", "-4567", " \t"]
        return (0..<Int(random.next() % 7)).map { _ in pieces[Int(random.next() % UInt64(pieces.count))] }.joined()
    }

    func testEmailPhoneAndNumberMatchTheGeneralRulesOnRandomASCII() {
        var random = SeededGenerator(seed: 20_261_122)
        var accepted = (email: 0, phone: 0, no: 0)
        for round in 0..<60_000 {
            let text = round % 2 == 0 ? randomText(&random, maxLength: 70) : realistic(&random)
            XCTAssertEqual(Participant.normalizedEmail(text), Participant.generalEmail(text), "email \(text.debugDescription)")
            XCTAssertEqual(Participant.normalizedPhone(text), Participant.generalPhone(text), "phone \(text.debugDescription)")
            XCTAssertEqual(Participant.normalizedExperimentNo(text), Participant.generalExperimentNo(text), "no \(text.debugDescription)")
            if Participant.normalizedEmail(text) != nil { accepted.email += 1 }
            if Participant.normalizedPhone(text) != nil { accepted.phone += 1 }
            if Participant.normalizedExperimentNo(text) != nil { accepted.no += 1 }
        }
        // Both outcomes were exercised, not only refusals.
        XCTAssertGreaterThan(accepted.email, 30)
        XCTAssertGreaterThan(accepted.phone, 100)
        XCTAssertGreaterThan(accepted.no, 100)
    }

    func testKnownAddressesTakeTheFastPathWithTheSameAnswers() {
        for text in ["  kim@example.com\t", "a.b@c.d", "a..b@c.de", ".a@b.cd", "a@b.c", "a@b.12", "a@-b.com", "a@b-.com",
                     "a@b..com", "a@@b.com", "\r\na@b.com\r\n", "a\r\n@b.com", String(repeating: "a", count: 40) + "@b.com",
                     String(repeating: "a", count: 41) + "@bb.com", "이@예시.한국", "a@ex\u{00E4}mple.com"] {
            XCTAssertEqual(Participant.normalizedEmail(text), Participant.generalEmail(text), text.debugDescription)
        }
        XCTAssertEqual(Participant.normalizedEmail("  kim@example.com\t"), "kim@example.com")
        XCTAssertEqual(Participant.normalizedPhone(" 010-1234-5678 "), "010-1234-5678")
        XCTAssertEqual(Participant.normalizedPhone("\u{00A0}010-1234-5678"), Participant.generalPhone("\u{00A0}010-1234-5678"))
    }

    /// `normalizedName` skips NFC for text `isComposed` accepts; NFC must indeed leave such text unchanged.
    func testTextTheNameRuleCallsComposedIsUnchangedByNFC() {
        var random = SeededGenerator(seed: 7)
        let pool: [ClosedRange<UInt32>] = [0x20...0x7E, 0xA0...0x2FF, 0xAC00...0xD7A3]
        for _ in 0..<20_000 {
            let scalars = (0..<Int(random.next() % 12)).compactMap { _ -> Unicode.Scalar? in
                let range = pool[Int(random.next() % UInt64(pool.count))]
                return Unicode.Scalar(range.lowerBound + UInt32(random.next() % UInt64(range.count)))
            }
            var text = ""
            text.unicodeScalars.append(contentsOf: scalars)
            XCTAssertTrue(Participant.isComposed(text))
            XCTAssertEqual(Array(text.precomposedStringWithCanonicalMapping.unicodeScalars), Array(text.unicodeScalars))
        }
        XCTAssertFalse(Participant.isComposed("e\u{0301}"), "a combining mark needs NFC")
        XCTAssertFalse(Participant.isComposed("\u{1100}\u{1161}"), "conjoining jamo need NFC")
        XCTAssertEqual(Participant.normalizedName("Jose\u{0301} Kim"), "Jos\u{00E9} Kim")
    }

    /// The Hangul-syllable path of `normalizedName` decides as the general rule does.
    func testHangulSyllableNamesDecideAsTheGeneralRule() {
        var random = SeededGenerator(seed: 11)
        let pool: [ClosedRange<UInt32>] = [0xAC00...0xD7A3, 0xAC00...0xAC01, 0xD7A2...0xD7A3, 0x1100...0x1112, 0x3131...0x318E,
                                            0x41...0x5A, 0x20...0x20, 0xD7A4...0xD7FF]
        var fast = 0
        for _ in 0..<20_000 {
            let scalars = (0..<Int(random.next() % 70)).compactMap { _ -> Unicode.Scalar? in
                let range = pool[random.next() % 4 == 0 ? Int(random.next() % UInt64(pool.count)) : 0]
                return Unicode.Scalar(range.lowerBound + UInt32(random.next() % UInt64(range.count)))
            }
            var text = ""
            text.unicodeScalars.append(contentsOf: scalars)
            if Participant.isHangulSyllables(text) {
                fast += 1
                XCTAssertEqual(Participant.generalName(text), text, text.debugDescription)
            }
            XCTAssertEqual(Participant.normalizedName(text), Participant.generalName(text), text.debugDescription)
        }
        XCTAssertGreaterThan(fast, 1000, "the fast path was exercised")
        XCTAssertTrue(Participant.isHangulSyllables("홍길동"))
        XCTAssertFalse(Participant.isHangulSyllables("홍"), "one syllable is too short")
        XCTAssertFalse(Participant.isHangulSyllables("홍 길동"))
        XCTAssertFalse(Participant.isHangulSyllables("\u{1112}\u{1169}\u{11BC}길동"), "conjoining jamo go the general way")
        XCTAssertFalse(Participant.isHangulSyllables(String(repeating: "가", count: 65)))
        XCTAssertTrue(Participant.isHangulSyllables(String(repeating: "가", count: 64)))
    }
}
