import Foundation
import PsyxTestSupport

/// The participant rows of the matrix: start (each field: wrong type, missing,
/// oversize, bad value; no pack; already participated) and submit (answers).
extension ExperimentBadInput {
    static func startCases() -> [ExperimentBadInput] {
        let start = "/api/reply/start"
        let longName = String(repeating: "a", count: 65)
        return [
            .init("start with malformed JSON", .raw(start, Array(#"{"name": "홍길동", "#.utf8)), "Invalid Input"),
            .init("start with an empty body", .raw(start, []), "Invalid Input"),
            .init("start with a JSON array", .raw(start, Array("[]".utf8)), "Invalid Input"),
            .init("start with a JSON string", .raw(start, Array(#""hello""#.utf8)), "Invalid Input"),
            .init("name missing", Self.start("name", nil), "Invalid Name: "),
            .init("name as a number", Self.start("name", 12), "Invalid Name: 12"),
            .init("name of one syllable", Self.start("name", "홍"), "Invalid Name: 홍"),
            .init("name of 65 letters", Self.start("name", longName), "Invalid Name: " + longName.dropLast() + "…"),
            .init("name with markup", Self.start("name", "<script>"), "Invalid Name: <script>"),
            .init("email without @", Self.start("email", "not-an-email"), "Invalid Email Address: not-an-email"),
            .init("email of 48 characters", Self.start("email", String(repeating: "a", count: 43) + "@b.kr"),
                  "Invalid Email Address: " + String(repeating: "a", count: 43) + "@b.kr"),
            .init("email as an array", Self.start("email", ["a@b.kr"]), #"Invalid Email Address: ["a@b.kr"]"#),
            .init("no with a dash", Self.start("no", "2020-123"), "Invalid ExperimentNo.: 2020-123"),
            .init("no of 20 digits", Self.start("no", "12345678901234567890"), "Invalid ExperimentNo.: 12345678901234567890"),
            .init("no as an object", Self.start("no", [String: Any]()), "Invalid ExperimentNo.: {}"),
            .init("sex 3", Self.start("sex", 3), "Invalid Sex: 3"),
            .init("sex true", Self.start("sex", true), "Invalid Sex: true"),
            .init("sex missing", Self.start("sex", nil), "Invalid Sex: "),
            .init("age 121", Self.start("age", 121), "Invalid Age: 121"),
            .init("age -1", Self.start("age", -1), "Invalid Age: -1"),
            .init("age 25.5", Self.start("age", 25.5), "Invalid Age: 25.5"),
            .init("age as a word", Self.start("age", "twenty"), "Invalid Age: twenty"),
            .init("phone of letters", Self.start("phone", "call me"), "Invalid Phone Number: call me"),
            .init("phone null", Self.start("phone", NSNull()), "Invalid Phone Number: null"),
            .init("phone of 35 characters", Self.start("phone", "+82" + String(repeating: " ", count: 20) + "10-1234-5678"),
                  "Invalid Phone Number: +82" + String(repeating: " ", count: 20) + "10-1234-5678"),
            .init("hold of 15 characters", Self.start("hold", "abcdefghijklmno"), "Invalid Hold"),
            .init("hold with a space", Self.start("hold", "browser token 0001"), "Invalid Hold"),
            .init("hold as a number", Self.start("hold", 12345678901234567), "Invalid Hold"),
            .init("no pack for that sex", Self.start("sex", 1), "No Suitable Pack for You"),
            .init("no pack for that age", Self.start("age", 30), "No Suitable Pack for You"),
            .init("start by a participant who replied", Self.start("no", "2020000001"), "Already Participated"),
        ]
    }

    /// `replied` has a reply in pack 1 already; `fresh` has none. `pairs` are pack 1's.
    static func submitCases(replied: ParticipantFixture, fresh: ParticipantFixture, pairs: [[String]]) -> [ExperimentBadInput] {
        var older = fresh
        older.age = 45
        var male = fresh
        male.sex = 1
        return [
            .init("submit with malformed JSON", .raw("/api/reply/submit", Array(#"{"p_id": 1, "answers": [["#.utf8)), "Invalid Input"),
            .init("submit to an unknown pack", submit(fresh, pairs) { $0["p_id"] = 999 }, "Unknown Pack 999"),
            .init("submit with p_id as a word", submit(fresh, pairs) { $0["p_id"] = "abc" }, "Unknown Pack abc"),
            .init("submit without p_id", submit(fresh, pairs) { $0["p_id"] = nil }, "Unknown Pack"),
            .init("submit with p_id null", submit(fresh, pairs) { $0["p_id"] = NSNull() }, "Unknown Pack null"),
            .init("submit by a participant too old for the pack", submit(older, pairs), "Participant Does Not Fit Pack 1"),
            .init("submit by a participant of the other sex", submit(male, pairs), "Participant Does Not Fit Pack 1"),
            .init("submit with an invalid phone", submit(fresh, pairs) { $0["phone"] = "12" }, "Invalid Phone Number: 12"),
            .init("submit without a name", submit(fresh, pairs) { $0["name"] = nil }, "Invalid Name: "),
            .init("submit with a wrong pair", answers(fresh, pairs) { $0[10][3] = $0[11][3] },
                  "Invalid Answer 11: not a pair of this pack"),
            .init("submit with one file on both sides", answers(fresh, pairs) { $0[0][3] = $0[0][2] },
                  "Invalid Answer 1: not a pair of this pack"),
            .init("submit with a traversal file name", answers(fresh, pairs) { $0[0][2] = "../x_00001_ori.jpg" },
                  "Invalid Answer 1: not a pair of this pack"),
            .init("submit with a repeated pair", answers(fresh, pairs) { $0[299] = $0[0] }, "Invalid Answer 300: pair shown twice"),
            .init("submit with an rt over the limit", answers(fresh, pairs) { $0[4][1] = 3.51 },
                  "Invalid Answer 5: reaction time out of range"),
            .init("submit with a negative rt", answers(fresh, pairs) { $0[4][1] = -0.01 },
                  "Invalid Answer 5: reaction time out of range"),
            .init("submit with an rt as a string", answers(fresh, pairs) { $0[4][1] = "0.5" },
                  "Invalid Answer 5: reaction time out of range"),
            .init("submit with an unknown key", answers(fresh, pairs) { $0[1][0] = "K" },
                  "Invalid Answer 2: key must be F, J or a space"),
            .init("submit with a trial of three fields", answers(fresh, pairs) { $0[0] = Array($0[0].prefix(3)) },
                  "Invalid Answer 1: expected [key, rt, left, right]"),
            .init("submit with 299 answers", answers(fresh, pairs) { $0.removeLast() }, "Invalid Answers: expected 300 trials, got 299"),
            .init("submit with 301 answers", answers(fresh, pairs) { $0.append($0[0]) }, "Invalid Answers: expected 300 trials, got 301"),
            .init("submit with answers as a string", submit(fresh, pairs) { $0["answers"] = "F,J" }, "Invalid Answers"),
            .init("submit without answers", submit(fresh, pairs) { $0["answers"] = nil }, "Invalid Answers"),
            .init("submit with a short submission_id", submit(fresh, pairs) { $0["submission_id"] = "short" }, "Invalid Submission ID"),
            .init("a second reply by the same no", submit(replied, pairs), "Already Participated"),
            .init("a second reply by the same no, without submission_id", submit(replied, pairs) { $0["submission_id"] = nil },
                  "Already Participated"),
        ]
    }
}
