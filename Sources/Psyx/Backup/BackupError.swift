#if canImport(Glibc)
import Glibc
#endif

/// Why `psyx backup` or `psyx restore` stopped, printed as `psyx: <description>` with a non-zero exit.
/// Messages name files and counts, never what is in them (replies hold personal data).
enum BackupError: Error, Equatable, CustomStringConvertible {
    /// A precondition or a check failed: the sentence says which and what to do.
    case refused(String)
    case system(operation: String, path: String, errno: Int32)

    var description: String {
        switch self {
        case .refused(let message): message
        case .system(let operation, let path, let code): "cannot \(operation) \(path): \(String(cString: strerror(code)))"
        }
    }

    /// The file was not there (or vanished while read): a pack removed while a backup ran.
    var isMissingFile: Bool {
        if case .system(_, _, let code) = self { return code == ENOENT }
        return false
    }

    /// The current `errno` for `operation` on `path`.
    static func system(_ operation: String, _ path: String) -> BackupError {
        .system(operation: operation, path: path, errno: errno)
    }
}
