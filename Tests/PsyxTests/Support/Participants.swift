import PsyxTestSupport

extension MultipartBody: PackFixtureBody {}

/// Start and submit bodies for the responder tests, from the shared ParticipantFixture.
enum Participants {
    static func details(no: String = "2020123456", sex: Int = 2, age: Int = 25) -> [String: Any] {
        ParticipantFixture(no: no, sex: sex, age: age).details
    }

    static func submit(packID: Int, pairs: [[String]], keys: [String] = ["F", "J", " "], no: String = "2020123456",
                       submissionID: String? = nil, age: Int = 25,
                       layout: String? = ParticipantFixture.pageLayout) -> [String: Any] {
        ParticipantFixture(no: no, age: age).submit(packID: packID, pairs: pairs, keys: keys, submissionID: submissionID,
                                                    layout: layout)
    }
}
