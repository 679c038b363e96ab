/// One reply's informational value: how far its CI's norm lies above random responding, in
/// robust z units; nil when undefined (no answered trials).
public struct InfoValRow: Equatable, Sendable {
    public var replyID: Int64
    public var infoVal: Double?
    /// Answered trials (a key pressed in time).
    public var trials: Int

    public init(replyID: Int64, infoVal: Double?, trials: Int) {
        self.replyID = replyID
        self.infoVal = infoVal
        self.trials = trials
    }
}
