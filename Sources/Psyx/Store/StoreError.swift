/// What the store reports beyond its results. `packNameTaken` and `conditionOverlap` are the user's
/// input (400s); `failure` is the server's problem (a 500) whose message goes to the log only.
/// `unavailable` and `outcomeUnknown` come from a database server that cannot be reached just now
/// (PostgreSQL): a 503, so clients retry, with the message in the log only.
public enum StoreError: Error, Equatable, Sendable {
    case packNameTaken
    /// Another pack of the same sex has an overlapping age range: that pack.
    case conditionOverlap(with: PackSummary)
    /// A settings change would alter what participants were asked (`ask`, question, time limit,
    /// touch) of a pack that already has replies.
    case packHasReplies
    case failure(String)
    /// The database did not answer (server down, connection refused or lost): nothing was written.
    case unavailable(String)
    /// The connection broke while COMMIT was on its way and the outcome could not be checked: the
    /// write may or may not have been committed. Callers keep whatever could still be needed.
    case outcomeUnknown(String)
}

extension StoreError {
    /// The database could not be reached (or the outcome of a COMMIT not learned): answered 503.
    public var isUnavailable: Bool {
        switch self {
        case .unavailable, .outcomeUnknown: true
        default: false
        }
    }
}
