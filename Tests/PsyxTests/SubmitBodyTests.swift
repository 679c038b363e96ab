import XCTest
@testable import Psyx

/// `SubmitBody` + `AnswerCheck.canonicalJSON(_:in:)` (answers read from the bytes) against the path
/// they replace, `Participant.jsonObject(from:)` + `AnswerCheck.canonicalJSON(_: JSONValue?)`: on
/// valid, odd and malformed bodies both refuse with the same message or accept with the same
/// members and the same stored bytes.
final class SubmitBodyTests: XCTestCase {
    /// Names with a Hangul prefix and a composed `é`, beside plain ASCII ones.
    private static let pack = Pack(
        id: 1, name: "p", sex: 1, ageMin: 18, ageMax: 40, date: "2026-01-01T00:00:00Z",
        pairs: (1...4).map { number in
            let prefix = number == 3 ? "얼굴\u{E9}" : "face"
            return PackPair(number: number, ori: "\(prefix)_0000\(number)_ori.jpg", inv: "\(prefix)_0000\(number)_inv.jpg")
        })
    private static let check = AnswerCheck(pack: pack, timeLimit: 3.0)

    private static func trial(_ number: Int, key: String = "F", rt: String = "0.5") -> String {
        let pair = pack.pairs[number - 1]
        return #"["\#(key)",\#(rt),"\#(pair.ori)","\#(pair.inv)"]"#
    }

    private static func body(answers: String, extra: String = "") -> String {
        #"{"p_id":1,"name":"홍길동","no":"a1","answers":\#(answers)\#(extra),"sex":1}"#
    }

    private static let validAnswers = "[" + (1...4).map { trial($0) }.joined(separator: ",") + "]"

    /// Both paths on `bytes`; fails unless they agree. Returns the new path's answers.
    @discardableResult
    private func assertSame(_ bytes: [UInt8], file: StaticString = #filePath, line: UInt = #line) -> SubmittedAnswers? {
        let old = Result { () throws(ParticipantError) in try Participant.jsonObject(from: bytes) }
        let new = Result { () throws(ParticipantError) in try SubmitBody(bytes: bytes) }
        switch (old, new) {
        case (.failure(let oldError), .failure(let newError)):
            XCTAssertEqual(oldError, newError, file: file, line: line)
            return nil
        case (.success(let object), .success(let body)):
            var members = object
            members["answers"] = nil
            XCTAssertEqual(body.members, members, file: file, line: line)
            let oldAnswers = Result { () throws(APIError) in try Self.check.canonicalJSON(object["answers"]) }
            let newAnswers = Result { () throws(APIError) in try Self.check.canonicalJSON(body.answers, in: body.bytes) }
            XCTAssertEqual(oldAnswers, newAnswers, String(decoding: bytes, as: UTF8.self), file: file, line: line)
            return body.answers
        default:
            XCTFail("one path accepted, one refused: \(old) / \(new)", file: file, line: line)
            return nil
        }
    }

    private func isTrials(_ answers: SubmittedAnswers?) -> Bool {
        if case .trials? = answers { return true }
        return false
    }

    func testUsualShapeIsReadAsTrialsAndStoredAsBefore() throws {
        let answers = assertSame(Array(Self.body(answers: Self.validAnswers).utf8))
        XCTAssertTrue(isTrials(answers))
        let body = try SubmitBody(bytes: Array(Self.body(answers: Self.validAnswers).utf8))
        let stored = try Self.check.canonicalJSON(body.answers, in: body.bytes)
        XCTAssertTrue(stored.hasPrefix(#"[["F",0.5,"face_00001_ori.jpg","face_00001_inv.jpg"],"#), stored)
        let spaced = " \n{ \"answers\" :\t[ [ \"j\" , 1e0 , \"face_00001_inv.jpg\" , \"face_00001_ori.jpg\" ] ,\r\n"
            + (2...4).map { Self.trial($0, key: " ", rt: "-0") }.joined(separator: " , ") + " ] } "
        XCTAssertTrue(isTrials(assertSame(Array(spaced.utf8))))
    }

    func testMessagesAndRefusalsMatchTheOldPath() throws {
        let one = Self.trial(1), two = Self.trial(2), three = Self.trial(3), four = Self.trial(4)
        let cases: [String] = [
            "[\(one),\(two),\(three)]", "[\(one),\(two),\(three),\(four),\(one)]", "[]", "[ ]",
            "[\(one),\(two),\(three),\(two)]", "[\(one),\(two),\(three),\(Self.trial(1, key: "j"))]",
            "[\(Self.trial(1, key: "K")),\(two),\(three),\(four)]", "[\(Self.trial(1, key: "FF")),\(two),\(three),\(four)]",
            "[\(Self.trial(1, key: "")),\(two),\(three),\(four)]", #"[["F",0.5,"face_00001_ori.jpg","face_00002_inv.jpg"],"# + "\(two),\(three),\(four)]",
            #"[["F",0.5,"face_00001_ori.jpg","face_00001_ori.jpg"],"# + "\(two),\(three),\(four)]",
            #"[["F",0.5,"../face_00001_ori.jpg","face_00001_inv.jpg"],"# + "\(two),\(three),\(four)]",
            "[\(one),\(Self.trial(2, rt: "3.51")),\(three),\(four)]", "[\(one),\(Self.trial(2, rt: "-0.1")),\(three),\(four)]",
            "[\(one),\(Self.trial(2, rt: "3.5")),\(three),\(four)]", "[\(one),\(Self.trial(2, rt: "0.123456789012")),\(three),\(four)]",
            "[\(one),\(Self.trial(2, rt: "12345e-4")),\(three),\(four)]", "[\(one),\(Self.trial(2, rt: "1e400")),\(three),\(four)]",
            "[\(one),\(Self.trial(2, rt: "01")),\(three),\(four)]", "[\(one),\(Self.trial(2, rt: "\"0.5\"")),\(three),\(four)]",
            "[\(one),\(Self.trial(2, key: "F\",\"x")),\(three),\(four)]",
            #"[[true,0.5,"face_00001_ori.jpg","face_00001_inv.jpg"],"# + "\(two),\(three),\(four)]",
            #"[["F",0.5,"face_00001_ori.jpg"],"# + "\(two),\(three),\(four)]",
            #"[["F",0.5,"face_00001_ori.jpg","face_00001_inv.jpg",1],"# + "\(two),\(three),\(four)]",
            #"[["\u0046",0.5,"face_\u00300001_ori.jpg","face_00001_inv.jpg"],"# + "\(two),\(three),\(four)]",
            #"[["F",0.5,"face_00001_ori.jpg","face_00001_inv.jpg",],"# + "\(two),\(three),\(four)]",
            "[\(one),\(two),\(three),\(four),]", "[\(one),\(two),\(three),\(four)", "[\(one) \(two),\(three),\(four)]",
            "[\(one),\(two),\(three),[\(four)]]", "{}", "\"F,J\"", "null", "3", "[[]]", "[null]",
            // The composed `é` of the pack sent decomposed: canonically equivalent, found by the String lookup.
            "[\(one),\(two),\(three.replacingOccurrences(of: "\u{E9}", with: "e\u{301}")),\(four)]",
        ]
        for answers in cases {
            assertSame(Array(Self.body(answers: answers).utf8))
            assertSame(Array(Self.body(answers: answers, extra: #","answers":"# + Self.validAnswers).utf8))
            assertSame(Array(Self.body(answers: Self.validAnswers, extra: #","answers":"# + answers).utf8))
        }
        let decomposed = try SubmitBody(bytes: Array(Self.body(answers: cases.last!).utf8))
        XCTAssertTrue(isTrials(decomposed.answers))
        XCTAssertNoThrow(try Self.check.canonicalJSON(decomposed.answers, in: decomposed.bytes))
        for raw in ["", " ", "[]", "\u{FEFF}" + Self.body(answers: Self.validAnswers), Self.body(answers: Self.validAnswers) + "x",
                    #"{"p_id":1}"#, #"{"answers":[]}"#, #"{"answers"}"#, #"{"answ\u0065rs":5}"#] {
            assertSame(Array(raw.utf8))
        }
        // Raw bytes that are not text: invalid UTF-8 and a control byte inside a file name.
        for bad: UInt8 in [0xFF, 0xC3, 0x01, 0x7F, 0x80] {
            var bytes = Array(Self.body(answers: Self.validAnswers).utf8)
            let at = bytes.firstIndex(of: UInt8(ascii: "_"))!
            bytes.insert(bad, at: at)
            assertSame(bytes)
        }
    }

    /// Random edits of a valid body: every outcome, accepted or refused, is the old path's.
    func testRandomEditsAgreeWithTheOldPath() {
        var random = SeededGenerator(seed: 8)
        let base = Array(Self.body(answers: Self.validAnswers).utf8)
        let alphabet = Array(#"[]{},:" \-.0123456789eE+FJfjx_\/u"#.utf8) + [0x0A, 0x01, 0xC3, 0xA9, 0xFF, 0xEC]
        var typed = 0
        for _ in 0..<4000 {
            var bytes = base
            for _ in 0..<Int.random(in: 1...3, using: &random) {
                let at = Int.random(in: 0..<bytes.count, using: &random)
                switch Int.random(in: 0..<4, using: &random) {
                case 0: bytes.remove(at: at)
                case 1: bytes.insert(alphabet.randomElement(using: &random)!, at: at)
                case 2: bytes[at] = alphabet.randomElement(using: &random)!
                default:
                    let end = min(bytes.count, at + Int.random(in: 1...40, using: &random))
                    bytes.insert(contentsOf: bytes[at..<end], at: at)
                }
            }
            if isTrials(assertSame(bytes)) { typed += 1 }
        }
        XCTAssertGreaterThan(typed, 500, "the edits should often keep the usual shape")
    }
}
