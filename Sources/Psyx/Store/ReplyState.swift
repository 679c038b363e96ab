/// A pack's replies as counters: how many it has and how many were ever deleted from it. Together
/// they change at every insert and every deletion (`version`), so a cache of the replies keyed on
/// them follows a withdrawal even when a new reply brings the count back to what it was.
public struct ReplyState: Equatable, Sendable {
    public var count: Int
    public var deleted: Int

    public init(count: Int, deleted: Int) {
        self.count = count
        self.deleted = deleted
    }

    /// Inserts plus deletions ever (count + 2 × deleted): grows by one at each.
    public var version: Int { count + 2 * deleted }
}
