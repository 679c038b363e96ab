/// What the relocation store reports beyond its results: the caller's mistakes (a 400 on the API, a
/// message on the command line). Database trouble is `StoreError.failure`.
public enum RelocationError: Error, Equatable, Sendable, CustomStringConvertible {
    case unknownContent(Int64)
    case unknownLevel(String)
    case contentExists(Int64)
    case filenameTaken(String)
    case invalidFilename(String)
    case fileMissing(filename: String, folder: String)
    case levelInUse(String, contents: Int)
    case invalidLevels(LevelSetError)

    public var description: String {
        switch self {
        case .unknownContent(let cid): "Unknown cid \(cid)"
        case .unknownLevel(let name): "unknown level \(name)"
        case .contentExists(let cid): "content \(cid) is already registered"
        case .filenameTaken(let name): "another content already has the file name \(name)"
        case .invalidFilename(let name):
            "invalid file name \"\(name)\" (one path component, not starting with \".\", at most 200 bytes)"
        case .fileMissing(let filename, let folder): "no file \(filename) in \(folder)"
        case .levelInUse(let name, let contents): "level \(name) holds \(contents) content(s) or jobs; move them first"
        case .invalidLevels(let error): error.description
        }
    }
}
