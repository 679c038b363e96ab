/// Which replies a withdrawal deletes: one reply by its id, or every reply of a participant number
/// in every pack, the number compared case-insensitively (as `Already Participated` compares it).
public enum ReplySelector: Equatable, Sendable {
    case reply(id: Int64)
    case participant(no: String)

    /// How the log names the selection: never the participant number itself (personal data).
    public var logDescription: String {
        switch self {
        case .reply: "by reply id"
        case .participant: "by participant number"
        }
    }
}
