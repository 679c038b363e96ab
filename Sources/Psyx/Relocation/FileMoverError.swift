/// Why a file could not be moved; the worker logs it and gives the job back for a later retry.
public enum FileMoverError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Neither the source nor the target holds the file.
    case sourceMissing(String)
    /// The target holds a different file of the same name.
    case targetConflict(String)
    case notARegularFile(String)
    /// A level folder is missing (an unmounted disk, say): nothing is created in its place.
    case folderMissing(String)
    /// Source and target are one folder (two levels pointing at the same place).
    case sameFolder(String)
    /// The move was stopped on purpose (the heartbeat said so); the source is untouched.
    case cancelled
    case system(operation: String, path: String, errno: Int32)

    public var description: String {
        switch self {
        case .sourceMissing(let path): "no file at \(path), nor at the target"
        case .targetConflict(let path): "\(path) already exists with a different size"
        case .notARegularFile(let path): "\(path) is not a regular file"
        case .folderMissing(let path): "level folder \(path) does not exist"
        case .sameFolder(let path): "source and target are the same folder \(path)"
        case .cancelled: "move cancelled"
        case .system(let operation, let path, let code): "\(operation) \(path): \(FileMover.errorText(code))"
        }
    }
}
