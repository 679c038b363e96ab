import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A request body that never has to sit whole in memory.
///
/// Small bodies stay in memory; large ones are spooled to a file by the
/// connection, and handlers read them back in chunks, unless the responder's
/// `BodyReceiver` already took them as they arrived.
public struct RequestBody: Sendable {
    public enum Storage: Sendable {
        case memory([UInt8])
        case file(path: String)
        /// Already handed, byte by byte, to this receiver; there is nothing left to read.
        case received(any BodyReceiver)
    }

    public var storage: Storage
    /// Number of bytes in the body.
    public var count: Int

    public init(_ bytes: [UInt8] = []) {
        storage = .memory(bytes)
        count = bytes.count
    }

    public init(spooledAt path: String, count: Int) {
        storage = .file(path: path)
        self.count = count
    }

    public init(receivedBy receiver: any BodyReceiver, count: Int) {
        storage = .received(receiver)
        self.count = count
    }

    /// The receiver that took the body as it arrived, if one did.
    public var receiver: (any BodyReceiver)? {
        if case .received(let receiver) = storage { return receiver }
        return nil
    }

    /// Calls `body` with consecutive chunks of at most `chunkSize` bytes.
    public func forEachChunk(size chunkSize: Int = 64 * 1024, _ body: (ArraySlice<UInt8>) throws -> Void) throws {
        switch storage {
        case .memory(let bytes):
            var start = 0
            while start < bytes.count {
                let end = min(start + chunkSize, bytes.count)
                try body(bytes[start..<end])
                start = end
            }
        case .file(let path):
            let fd = open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { throw RequestBodyError.unreadable(errno: errno) }
            defer { close(fd) }
            var buffer = [UInt8](repeating: 0, count: chunkSize)
            while true {
                let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, chunkSize) }
                if n < 0 {
                    if errno == EINTR { continue }
                    throw RequestBodyError.unreadable(errno: errno)
                }
                if n == 0 { break }
                try body(buffer[0..<n])
            }
        case .received:
            throw RequestBodyError.alreadyReceived
        }
    }

    /// The whole body, refused when longer than `limit` (for small JSON or form bodies).
    public func bytes(limit: Int) throws -> [UInt8] {
        guard count <= limit else { throw RequestBodyError.tooLarge }
        if case .memory(let bytes) = storage { return bytes }
        var all: [UInt8] = []
        all.reserveCapacity(count)
        try forEachChunk { all.append(contentsOf: $0) }
        return all
    }
}

public enum RequestBodyError: Error, Equatable, Sendable {
    case unreadable(errno: Int32)
    case tooLarge
    /// The body went to a `BodyReceiver` while it arrived.
    case alreadyReceived
}
