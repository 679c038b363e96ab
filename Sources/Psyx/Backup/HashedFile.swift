import FastCGI
#if canImport(Glibc)
import Glibc
#endif

/// The file work of backups and restores: every byte read or written passes through SHA-256 on the
/// way (so a file is hashed while it is copied, in chunks, never loaded whole), and every file
/// written is fsynced before it counts.
enum HashedFile {
    struct Digest: Equatable {
        var sha256: String
        var bytes: Int64
    }

    static let chunkSize = 256 * 1024

    /// Opens `path` for reading, refusing a symbolic link; relative to the folder `directory` when given.
    static func openForReading(_ path: String, in directory: Int32 = AT_FDCWD) throws(BackupError) -> Int32 {
        let fd = openat(directory, path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { throw .system("open", path) }
        return fd
    }

    /// The digest of the file at `path` (a symbolic link is refused).
    static func hash(_ path: String) throws(BackupError) -> Digest {
        let fd = try openForReading(path)
        defer { close(fd) }
        return try stream(fd, named: path) { _ in }
    }

    /// Copies the open file `input` into a new file `target` (never replacing one) with `mode`,
    /// fsynced; returns the digest of the bytes written.
    static func copy(_ input: Int32, named source: String, to target: String, mode: mode_t) throws(BackupError) -> Digest {
        let output = try create(target, mode: mode)
        defer { close(output) }
        let digest = try stream(input, named: source) { (chunk) throws(BackupError) in
            guard FileDescriptorIO.writeAll(output, chunk) else { throw .system("write", target) }
        }
        guard fsync(output) == 0 else { throw .system("fsync", target) }
        return digest
    }

    /// Writes `bytes` into a new file `target` with `mode`, fsynced.
    static func write(_ bytes: [UInt8], to target: String, mode: mode_t) throws(BackupError) -> Digest {
        let output = try create(target, mode: mode)
        defer { close(output) }
        let written = bytes.withUnsafeBytes { FileDescriptorIO.writeAll(output, $0) }
        guard written else { throw .system("write", target) }
        guard fsync(output) == 0 else { throw .system("fsync", target) }
        return Digest(sha256: SHA256.hex(of: bytes), bytes: Int64(bytes.count))
    }

    /// A new file (never one that exists) with exactly `mode`, whatever the umask: a restored image
    /// must be readable by Nginx's group.
    private static func create(_ target: String, mode: mode_t) throws(BackupError) -> Int32 {
        let output = open(target, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard output >= 0 else { throw .system("create", target) }
        guard fchmod(output, mode) == 0 else {
            let error = BackupError.system("chmod", target)
            close(output)
            throw error
        }
        return output
    }

    /// A new folder with exactly `mode`, whatever the umask.
    static func makeFolder(_ path: String, mode: mode_t) throws(BackupError) {
        guard mkdir(path, mode) == 0 else { throw .system("create", path) }
        guard chmod(path, mode) == 0 else { throw .system("chmod", path) }
    }

    /// Makes a file written by someone else (SQLite) durable.
    static func sync(_ path: String) throws(BackupError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .system("open", path) }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw .system("fsync", path) }
    }

    /// Makes the entries of `folder` (files created, renamed or removed in it) durable.
    static func syncFolder(_ folder: String) throws(BackupError) {
        let fd = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw .system("open", folder) }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw .system("fsync", folder) }
    }

    /// Reads `input` to its end in chunks, hashing each and handing it to `sink`.
    private static func stream(_ input: Int32, named source: String,
                               _ sink: (UnsafeRawBufferPointer) throws(BackupError) -> Void) throws(BackupError) -> Digest {
        var hasher = SHA256()
        var total: Int64 = 0
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let count = FileDescriptorIO.read(input, into: buffer)
            guard count >= 0 else { throw .system("read", source) }
            if count == 0 { break }
            let chunk = UnsafeRawBufferPointer(rebasing: buffer[0..<count])
            hasher.update(chunk)
            try sink(chunk)
            total += Int64(count)
        }
        return Digest(sha256: hasher.finalizeHex(), bytes: total)
    }
}
