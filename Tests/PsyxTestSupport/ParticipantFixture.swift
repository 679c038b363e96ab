/// A participant's details and the bodies the experiment page sends for them
/// (`/api/reply/start`, `/api/reply/submit`), with every field a knob.
public struct ParticipantFixture {
    public var name = "홍길동"
    public var email = "a@b.kr"
    public var no = "2020123456"
    public var sex = 2
    public var age = 25
    public var phone = "010-1234-5678"

    public init(no: String = "2020123456", sex: Int = 2, age: Int = 25) {
        self.no = no
        self.sex = sex
        self.age = age
    }

    /// The start body.
    public var details: [String: Any] {
        ["name": name, "email": email, "no": no, "sex": sex, "age": age, "phone": phone]
    }

    /// The answer to trial `index` (0-based) of `pairs` with `keys` taken in turn:
    /// `[key, rt, left, right]`, rt 3.0 for a timeout (`" "`), else 0.5 s and up.
    public static func answer(_ index: Int, _ pair: [String], keys: [String]) -> [Any] {
        let key = keys.isEmpty ? " " : keys[index % keys.count]
        let rt = key == " " ? 3.0 : 0.5 + Double(index % 100) / 100
        return [key, rt, pair.first ?? "", pair.last ?? ""]
    }

    /// The experiment page's `layout` marker: each answer is `[key, rt, left, right]`.
    public static let pageLayout = "key,rt,left,right"

    /// A submit answering `pairs` as start gave them (element 0 left, 1 right), with the page's
    /// `layout` marker (nil: none, as the original client and psyx's pages before it sent).
    public func submit(packID: Int, pairs: [[String]], keys: [String] = ["F", "J", " "],
                       submissionID: String? = nil, layout: String? = Self.pageLayout) -> [String: Any] {
        var body = details
        body["p_id"] = packID
        body["answers"] = pairs.enumerated().map { Self.answer($0.offset, $0.element, keys: keys) }
        if let submissionID { body["submission_id"] = submissionID }
        if let layout { body["layout"] = layout }
        return body
    }
}
