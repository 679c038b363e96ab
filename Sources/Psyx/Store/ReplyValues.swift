/// A reply as stored and streamed back by download.
public struct ReplyRecord: Equatable, Sendable {
    public var id: Int64
    public var packID: Int64
    public var name: String
    public var email: String
    public var no: String
    public var sex: Int
    public var age: Int
    public var phone: String
    /// ISO 8601 UTC.
    public var date: String
    /// The answers as a JSON array text, stored verbatim.
    public var answers: String
    /// Which name of each trial was shown on the left.
    public var layout: AnswerLayout
    /// The participant link's recruitment IDs as a JSON object text (`{}`: none).
    public var recruitment: String
    /// When the participant agreed to the pack's consent text (ISO 8601 UTC, as the page sent it) and
    /// to which text (`PackSettings.consentVersion`); nil without a consent step.
    public var consentedAt: String?
    public var consentVersion: String?
    /// `keys` or `touch`: how the faces were chosen.
    public var input: String

    public init(id: Int64, packID: Int64, name: String, email: String, no: String, sex: Int, age: Int,
                phone: String, date: String, answers: String, layout: AnswerLayout, recruitment: String = "{}",
                consentedAt: String? = nil, consentVersion: String? = nil, input: String = "keys") {
        self.recruitment = recruitment
        self.consentedAt = consentedAt
        self.consentVersion = consentVersion
        self.input = input
        self.id = id
        self.packID = packID
        self.name = name
        self.email = email
        self.no = no
        self.sex = sex
        self.age = age
        self.phone = phone
        self.date = date
        self.answers = answers
        self.layout = layout
    }
}

/// A validated reply to store.
public struct NewReply: Sendable {
    public var packID: Int64
    public var name: String
    public var email: String
    public var no: String
    public var sex: Int
    public var age: Int
    public var phone: String
    public var answers: String
    /// Which name of each trial was shown on the left, as decided at submit.
    public var layout: AnswerLayout
    /// Makes a retried submit safe: the same id is stored once.
    public var submissionID: String?
    /// As `ReplyRecord`'s.
    public var recruitment: String
    public var consentedAt: String?
    public var consentVersion: String?
    public var input: String

    public init(packID: Int64, name: String, email: String, no: String, sex: Int, age: Int, phone: String,
                answers: String, layout: AnswerLayout, submissionID: String?, recruitment: String = "{}",
                consentedAt: String? = nil, consentVersion: String? = nil, input: String = "keys") {
        self.recruitment = recruitment
        self.consentedAt = consentedAt
        self.consentVersion = consentVersion
        self.input = input
        self.packID = packID
        self.name = name
        self.email = email
        self.no = no
        self.sex = sex
        self.age = age
        self.phone = phone
        self.answers = answers
        self.layout = layout
        self.submissionID = submissionID
    }
}

/// How an insert ended; only `inserted` wrote anything.
public enum ReplyInsertOutcome: Equatable, Sendable {
    case inserted(Int64)
    /// The submission id is stored for this pack and participant: a retry.
    case alreadyStored(Int64)
    /// The submission id is stored for another pack or participant: nothing is stored for this one.
    case submissionIDTaken
    case alreadyParticipated
    case unknownPack
}
