import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Moves one file between level folders so that a crash at any moment leaves it whole in at least one
/// of them and never leaves a partial file under its final name.
///
/// Within one file system a move is `rename(2)`. Across file systems (`EXDEV`), or when `forceCopy`
/// is set (so tests can take that path without a second mount), it copies to `.<name>.partial-<id>`
/// in the target folder, fsyncs the copy, renames it to the final name, fsyncs the folder, and only
/// then removes the source. A missing source with the target present means an earlier move finished.
public struct FileMover: Sendable {
    public enum Outcome: String, Sendable {
        case renamed
        case copied
        /// The source was gone and the target present: moved before.
        case alreadyMoved = "already moved"
        /// Both were present (a crash between the final rename and the unlink): the source was removed.
        case finishedEarlierCopy = "finished an earlier copy"
    }

    public var forceCopy: Bool
    public var chunkSize: Int
    /// A pause after each copied chunk — a test aid, so a test can kill a worker in mid-copy.
    public var pauseAfterChunkMicroseconds: UInt32

    public init(forceCopy: Bool = false, chunkSize: Int = 1 << 20, pauseAfterChunkMicroseconds: UInt32 = 0) {
        self.forceCopy = forceCopy
        self.chunkSize = max(4096, chunkSize)
        self.pauseAfterChunkMicroseconds = pauseAfterChunkMicroseconds
    }

    /// `PSYX_FORCE_COPY=1` forces the copy path; `PSYX_COPY_PAUSE_MS=N` pauses N ms per 1 MiB chunk.
    public static func configured(environment: [String: String]) -> FileMover {
        let force = ["1", "true", "yes"].contains(environment["PSYX_FORCE_COPY"]?.lowercased() ?? "")
        let pause = environment["PSYX_COPY_PAUSE_MS"].flatMap { UInt32($0) }.map { min($0, 10_000) } ?? 0
        return FileMover(forceCopy: force, pauseAfterChunkMicroseconds: pause * 1000)
    }

    /// Moves `name` from `sourceFolder` to `targetFolder`. `heartbeat` runs after every copied chunk
    /// (the worker renews its lease there); if it throws, the copy stops, its temporary file is
    /// removed, the source stays, and the error is rethrown.
    public func move(_ name: String, from sourceFolder: String, to targetFolder: String,
                     heartbeat: () throws -> Void = {}) throws -> Outcome {
        let source = sourceFolder + "/" + name
        let target = targetFolder + "/" + name
        guard let targetFolderStatus = FileStatus.of(targetFolder), targetFolderStatus.isDirectory else {
            throw FileMoverError.folderMissing(targetFolder)
        }
        if let sourceFolderStatus = FileStatus.of(sourceFolder), sourceFolderStatus.isSameFile(as: targetFolderStatus) {
            throw FileMoverError.sameFolder(targetFolder)
        }
        let targetStatus = FileStatus.of(target)
        guard let sourceStatus = FileStatus.of(source) else {
            guard targetStatus != nil else { throw FileMoverError.sourceMissing(source) }
            return .alreadyMoved
        }
        guard sourceStatus.isRegularFile else { throw FileMoverError.notARegularFile(source) }
        if let targetStatus {
            // Only whole files ever get the final name, so a target of the same size (or a hard link to
            // the source) is the finished copy of a move that crashed before removing its source.
            guard sourceStatus.isSameFile(as: targetStatus) || sourceStatus.size == targetStatus.size else {
                throw FileMoverError.targetConflict(target)
            }
            try Self.removeSource(source, folder: sourceFolder)
            return .finishedEarlierCopy
        }
        if !forceCopy {
            if rename(source, target) == 0 {
                try Self.syncDirectory(targetFolder)
                try Self.syncDirectory(sourceFolder)
                return .renamed
            }
            guard errno == EXDEV else { throw FileMoverError.system(operation: "rename", path: source, errno: errno) }
        }
        try copy(source, status: sourceStatus, to: target, in: targetFolder, heartbeat: heartbeat)
        try Self.removeSource(source, folder: sourceFolder)
        return .copied
    }

    /// The temporary name of a copy in progress: hidden, and never a name `Content` accepts.
    public static func partialName(for name: String, id: String) -> String {
        "." + name + ".partial-" + id
    }

    /// Whether a folder entry is some copy's temporary file.
    public static func isPartialName(_ entry: String) -> Bool {
        entry.hasPrefix(".") && entry.contains(".partial-")
    }

    private func copy(_ source: String, status: FileStatus, to target: String, in folder: String,
                      heartbeat: () throws -> Void) throws {
        let name = String(target.dropFirst(folder.count + 1))
        Self.removePartials(of: name, in: folder)
        let partial = folder + "/" + Self.partialName(for: name, id: String(UInt64.random(in: 1...UInt64.max), radix: 16))
        let input = open(source, O_RDONLY | O_CLOEXEC)
        guard input >= 0 else { throw FileMoverError.system(operation: "open", path: source, errno: errno) }
        defer { close(input) }
        let output = open(partial, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard output >= 0 else { throw FileMoverError.system(operation: "create", path: partial, errno: errno) }
        var outputOpen = true
        var renamed = false
        defer {
            if outputOpen { close(output) }
            if !renamed { unlink(partial) }
        }
        try copyBytes(from: input, source: source, to: output, partial: partial, heartbeat: heartbeat)
        var times = [status.accessTime, status.modificationTime]
        guard fchmod(output, status.permissions) == 0, futimens(output, &times) == 0 else {
            throw FileMoverError.system(operation: "set mode and times of", path: partial, errno: errno)
        }
        guard fsync(output) == 0 else { throw FileMoverError.system(operation: "fsync", path: partial, errno: errno) }
        outputOpen = false
        guard close(output) == 0 else { throw FileMoverError.system(operation: "close", path: partial, errno: errno) }
        guard rename(partial, target) == 0 else {
            throw FileMoverError.system(operation: "rename", path: partial, errno: errno)
        }
        renamed = true
        try Self.syncDirectory(folder)
    }

    private func copyBytes(from input: Int32, source: String, to output: Int32, partial: String,
                           heartbeat: () throws -> Void) throws {
        var buffer = [UInt8](repeating: 0, count: chunkSize)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(input, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw FileMoverError.system(operation: "read", path: source, errno: errno)
            }
            if count == 0 { return }
            try buffer.withUnsafeBytes { bytes in
                var offset = 0
                while offset < count {
                    let written = write(output, bytes.baseAddress.map { $0 + offset }, count - offset)
                    if written < 0 {
                        if errno == EINTR { continue }
                        throw FileMoverError.system(operation: "write", path: partial, errno: errno)
                    }
                    offset += written
                }
            }
            try heartbeat()
            if pauseAfterChunkMicroseconds > 0 { usleep(pauseAfterChunkMicroseconds) }
        }
    }

    private static func removeSource(_ source: String, folder: String) throws {
        guard unlink(source) == 0 || errno == ENOENT else {
            throw FileMoverError.system(operation: "unlink", path: source, errno: errno)
        }
        try syncDirectory(folder)
    }

    /// Makes renames and removals in `folder` durable.
    static func syncDirectory(_ folder: String) throws {
        let descriptor = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw FileMoverError.system(operation: "open", path: folder, errno: errno) }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw FileMoverError.system(operation: "fsync", path: folder, errno: errno) }
    }

    static func errorText(_ code: Int32) -> String {
        String(cString: strerror(code))
    }
}
