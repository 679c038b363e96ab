#if canImport(Glibc)
import Glibc
#endif

/// The few `lstat(2)` facts the mover needs (symbolic links are not followed).
struct FileStatus {
    let raw: stat

    static func of(_ path: String) -> FileStatus? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        return FileStatus(raw: info)
    }

    var isRegularFile: Bool { (raw.st_mode & S_IFMT) == S_IFREG }
    var isDirectory: Bool { (raw.st_mode & S_IFMT) == S_IFDIR }
    var size: Int64 { Int64(raw.st_size) }
    var permissions: mode_t { raw.st_mode & 0o7777 }
    var accessTime: timespec { raw.st_atim }
    var modificationTime: timespec { raw.st_mtim }

    func isSameFile(as other: FileStatus) -> Bool {
        raw.st_dev == other.raw.st_dev && raw.st_ino == other.raw.st_ino
    }
}
