/// A participant field that failed validation, carrying the exact 400 sentence
/// the API promises (`Invalid Age: 121`, `Invalid Input`, …).
public struct ParticipantError: Error, Equatable, Sendable {
    /// The human-readable sentence for the 400 page. It may contain the offending
    /// user text (not yet HTML-escaped), so it is personal data: keep it out of the log.
    public var message: String
    /// The field that failed; nil for `Invalid Input`.
    public var field: Field?

    public init(message: String, field: Field? = nil) {
        self.message = message
        self.field = field
    }

    /// The message without the participant's value (`Invalid Name`), for the log.
    public var loggableMessage: String {
        field.map { "Invalid \($0.rawValue)" } ?? message
    }

    /// The body is not JSON, or is JSON but not an object.
    public static let invalidInput = ParticipantError(message: "Invalid Input")

    /// The fields in the order they are checked, each with the label of its message.
    public enum Field: String, CaseIterable, Sendable {
        case name = "Name"
        case email = "Email Address"
        case no = "ExperimentNo."
        case sex = "Sex"
        case age = "Age"
        case phone = "Phone Number"

        /// The key of this field in the request's JSON object.
        public var key: String {
            switch self {
            case .name: "name"
            case .email: "email"
            case .no: "no"
            case .sex: "sex"
            case .age: "age"
            case .phone: "phone"
            }
        }
    }

    /// `Invalid <label>: <value>`, with the value already made printable and short.
    static func invalid(_ field: Field, _ value: JSONFieldValue) -> ParticipantError {
        ParticipantError(message: "Invalid \(field.rawValue): \(value.displayText)", field: field)
    }
}
