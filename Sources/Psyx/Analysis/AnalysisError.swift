/// Why a pack could not be analysed. These are server-side problems with the pack's files (a 500
/// whose log line names the file); nothing here quotes participant data.
public enum AnalysisError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A pack image that cannot be read or decoded.
    case image(file: String, ImageError)
    /// A pack image whose size differs from the pack's first image.
    case sizeMismatch(file: String, expected: String, found: String)
    /// More pixels × pairs than the analysis holds in memory.
    case packTooLarge(bytes: Int)

    public var description: String {
        switch self {
        case .image(let file, let error): "pack image \(file): \(error.message)"
        case .sizeMismatch(let file, let expected, let found): "pack image \(file) is \(found), the pack's images are \(expected)"
        case .packTooLarge(let bytes): "pack too large to analyse (\(bytes >> 20) MiB of differences)"
        }
    }
}
