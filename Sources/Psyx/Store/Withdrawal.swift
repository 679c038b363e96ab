/// The replies a withdrawal selects (before it) or deleted (after it), counted per pack by `p_id`.
/// Pack names and counts only: nothing personal, so the log and the admin's dialog may show it.
public struct Withdrawal: Equatable, Sendable {
    public struct Part: Equatable, Sendable {
        public var packID: Int64
        public var packName: String
        public var count: Int

        public init(packID: Int64, packName: String, count: Int) {
            self.packID = packID
            self.packName = packName
            self.count = count
        }
    }

    public var parts: [Part]

    public init(parts: [Part]) {
        self.parts = parts
    }

    /// Replies in all packs.
    public var count: Int { parts.reduce(0) { $0 + $1.count } }

    /// `1 Reply Deleted.` / `3 Replies Deleted.`
    public var sentence: String {
        count == 1 ? "1 Reply Deleted." : "\(count) Replies Deleted."
    }

    /// `pack 1 (women30s): 2, pack 3 (men20s): 1` for the log.
    public var packList: String {
        parts.map { "pack \($0.packID) (\($0.packName)): \($0.count)" }.joined(separator: ", ")
    }
}
