/// One storage level of the relocation service: a range of view counts and the folder its files live in.
///
/// A count belongs to the level with `minCounts <= count <= maxCounts`. Levels are data (rows of the
/// `levels` table), so adding one is a `psyx levels set`, not a code change.
public struct Level: Sendable, Equatable {
    /// `content_level`: the level's unique name (`gold`, `silver`, …).
    public var name: String
    public var minCounts: Int64
    public var maxCounts: Int64
    /// The folder as configured: absolute, or relative to the data directory (`levels/gold`).
    public var path: String

    public init(name: String, minCounts: Int64, maxCounts: Int64, path: String) {
        self.name = name
        self.minCounts = minCounts
        self.maxCounts = maxCounts
        self.path = path
    }

    /// Whether `count` falls in this level's range.
    public func holds(_ count: Int64) -> Bool {
        minCounts <= count && count <= maxCounts
    }

    /// The folder on disk: an absolute `path` as it is, a relative one inside the data directory, so the
    /// whole data directory can move without editing the levels.
    public func folder(dataRoot: String) -> String {
        if path.hasPrefix("/") { return path }
        var relative = Substring(path)
        while relative.hasPrefix("./") { relative = relative.dropFirst(2) }
        return dataRoot + "/" + relative
    }

    /// The recommended relative folder of a level: `levels/NAME`, which Nginx's `/contents/` serves.
    public static func defaultPath(for name: String) -> String {
        "levels/" + name
    }

    /// The range for messages, `1000–1999` (an en dash, as people write ranges).
    var rangeText: String { "\(minCounts)–\(maxCounts)" }
}
