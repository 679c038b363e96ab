/// Why a set of levels is refused; each description names the problem and the levels involved.
public enum LevelSetError: Error, Equatable, Sendable, CustomStringConvertible {
    case noLevelAtZero(lowest: Level)
    case overlap(Level, Level)
    case gap(after: Int64, before: Int64)
    case negativeMinimum(Level)
    case emptyRange(Level)
    case duplicateName(String)
    case invalidName(String)
    case invalidPath(level: String, path: String)
    case sharedFolder(String, String, path: String)

    public var description: String {
        switch self {
        case .noLevelAtZero(let lowest):
            "no level starts at 0 (the lowest is \(lowest.name) \(lowest.rangeText))"
        case .overlap(let first, let second):
            "levels overlap: \(first.name) \(first.rangeText) and \(second.name) \(second.rangeText)"
        case .gap(let after, let before):
            "gap between \(after) and \(before)"
        case .negativeMinimum(let level):
            "level \(level.name): min \(level.minCounts) is negative"
        case .emptyRange(let level):
            "level \(level.name): min \(level.minCounts) is above max \(level.maxCounts)"
        case .duplicateName(let name):
            "level \(name) is given twice"
        case .invalidName(let name):
            "invalid level name \"\(name)\" (use 1–64 letters, digits, - or _)"
        case .invalidPath(let level, let path):
            "level \(level): invalid folder \"\(path)\""
        case .sharedFolder(let first, let second, let path):
            "levels \(first) and \(second) share the folder \(path)"
        }
    }
}
