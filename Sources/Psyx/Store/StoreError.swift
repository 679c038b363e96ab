/// What the store reports beyond its results. `packNameTaken` and `conditionOverlap` are the user's
/// input (400s); `failure` is the server's problem (a 500) whose message goes to the log only.
public enum StoreError: Error, Equatable, Sendable {
    case packNameTaken
    /// Another pack of the same sex has an overlapping age range: that pack.
    case conditionOverlap(with: PackSummary)
    case failure(String)
}
