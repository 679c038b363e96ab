/// A validated set of levels: no two overlap and together they cover every count from 0 up to the top
/// level's `maxCounts` without a gap. Counts above the top belong to the top level (it absorbs them).
public struct LevelSet: Sendable, Equatable {
    /// Sorted by `minCounts`: bottom level first.
    public let levels: [Level]

    /// The level a count belongs to, and the top's new `maxCounts` when the count lies above it.
    public struct Choice: Sendable, Equatable {
        public var level: Level
        /// Set when the count is above the top level's range: the top level's `maxCounts` becomes it.
        public var raisedMax: Int64?
    }

    /// Checks the set; an empty set is valid (nothing can be placed yet).
    public init(validating levels: [Level]) throws(LevelSetError) {
        var names = Set<String>()
        var folders: [String: String] = [:]
        for level in levels {
            guard Self.isValidName(level.name) else { throw .invalidName(level.name) }
            guard names.insert(level.name).inserted else { throw .duplicateName(level.name) }
            guard Self.isValidPath(level.path) else { throw .invalidPath(level: level.name, path: level.path) }
            let folder = Self.normalizedFolder(level.path)
            if let other = folders[folder] { throw .sharedFolder(other, level.name, path: level.path) }
            folders[folder] = level.name
            guard level.minCounts >= 0 else { throw .negativeMinimum(level) }
            guard level.minCounts <= level.maxCounts else { throw .emptyRange(level) }
        }
        let sorted = levels.sorted { ($0.minCounts, $0.maxCounts) < ($1.minCounts, $1.maxCounts) }
        if let lowest = sorted.first, lowest.minCounts != 0 { throw .noLevelAtZero(lowest: lowest) }
        for (lower, upper) in zip(sorted, sorted.dropFirst()) {
            if upper.minCounts <= lower.maxCounts { throw .overlap(lower, upper) }
            // lower.maxCounts < upper.minCounts here, so the addition cannot overflow.
            if upper.minCounts != lower.maxCounts + 1 { throw .gap(after: lower.maxCounts, before: upper.minCounts) }
        }
        self.levels = sorted
    }

    public var top: Level? { levels.last }

    public func level(named name: String) -> Level? {
        levels.first { $0.name == name }
    }

    /// The level for a (non-negative) count; nil only when there are no levels (or a negative count).
    public func choose(count: Int64) -> Choice? {
        guard count >= 0, let top else { return nil }
        if count > top.maxCounts {
            var raised = top
            raised.maxCounts = count
            return Choice(level: raised, raisedMax: count)
        }
        guard let level = levels.first(where: { $0.holds(count) }) else { return nil }
        return Choice(level: level, raisedMax: nil)
    }

    /// The set with `changes` applied: a level of the same name is replaced, a new name is added.
    /// The result is validated as a whole, so several levels can be moved at once.
    public func applying(_ changes: [Level]) throws(LevelSetError) -> LevelSet {
        var seen = Set<String>()
        for change in changes where !seen.insert(change.name).inserted {
            throw .duplicateName(change.name)
        }
        var merged = levels
        for change in changes {
            if let index = merged.firstIndex(where: { $0.name == change.name }) {
                merged[index] = change
            } else {
                merged.append(change)
            }
        }
        return try LevelSet(validating: merged)
    }

    /// Names go into folder names and Nginx paths: keep them plain.
    static func isValidName(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard (1...64).contains(bytes.count) else { return false }
        return bytes.allSatisfy { byte in
            (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
                || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
        }
    }

    /// A folder path: not empty, no control characters, no `..` component.
    static func isValidPath(_ path: String) -> Bool {
        guard !path.isEmpty, path.utf8.count <= 1024, !path.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F }) else {
            return false
        }
        return !path.split(separator: "/").contains("..") && normalizedFolder(path) != ""
    }

    /// The path without `.` components and repeated or trailing slashes, for comparing folders.
    static func normalizedFolder(_ path: String) -> String {
        let parts = path.split(separator: "/").filter { $0 != "." }
        return (path.hasPrefix("/") ? "/" : "") + parts.joined(separator: "/")
    }
}
