/// The personal details a participant types before a run, already checked.
///
/// Values are only ever built by `init(json:)` (which validates and normalizes)
/// or read back from the store, so the rest of the app can trust them.
public struct Participant: Equatable, Sendable {
    /// Trimmed, runs of whitespace collapsed to one space, NFC-normalized.
    public var name: String
    /// Trimmed, otherwise as typed.
    public var email: String
    /// The experiment number (`no` in the API): ASCII letters and digits, 1–19 of them.
    public var no: String
    /// 1 or 2, matched against a pack's target sex.
    public var sex: Int
    /// Whole years, 0…120, matched against a pack's age range.
    public var age: Int
    /// Trimmed, otherwise as typed (separators kept, so a researcher sees the familiar form).
    public var phone: String

    public init(name: String, email: String, no: String, sex: Int, age: Int, phone: String) {
        self.name = name
        self.email = email
        self.no = no
        self.sex = sex
        self.age = age
        self.phone = phone
    }
}
