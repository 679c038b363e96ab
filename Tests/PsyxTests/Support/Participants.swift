import PsyxTestSupport

extension MultipartBody: PackFixtureBody {}

/// Participant bodies for start and submit.
enum Participants {
    static func details(no: String = "2020123456", sex: Int = 2, age: Int = 25) -> [String: Any] {
        ["name": "홍길동", "email": "a@b.kr", "no": no, "sex": sex, "age": age, "phone": "010-1234-5678"]
    }

    /// A submit for the pairs as `start` gave them, choosing with `keys` in turn.
    static func submit(packID: Int, pairs: [[String]], keys: [String] = ["F", "J", " "], no: String = "2020123456",
                       submissionID: String? = nil, age: Int = 25) -> [String: Any] {
        var body = details(no: no, age: age)
        body["p_id"] = packID
        body["answers"] = pairs.enumerated().map { index, pair -> [Any] in
            let key = keys[index % keys.count]
            return [key, key == " " ? 3.0 : 0.5 + Double(index) / 100, pair[0], pair[1]]
        }
        if let submissionID { body["submission_id"] = submissionID }
        return body
    }
}
