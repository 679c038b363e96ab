import Dispatch
import Foundation
#if canImport(Glibc)
import Glibc
#endif
@testable import FastCGI

/// The web-server side of one connection, driven by a test: writes raw record
/// bytes, reads and decodes what comes back. Every read and write has a time
/// limit, so a server that hangs fails the test instead of hanging it.
final class RawClient {
    let fd: Int32
    private var decoder = RecordDecoder()
    private let finished: DispatchSemaphore?
    private var isClosed = false

    /// `finished` is signalled when the server side of a socket pair has returned from `run()`.
    init(fd: Int32, finished: DispatchSemaphore? = nil, timeout: Int = 5) throws {
        self.fd = fd
        self.finished = finished
        var limit = timeval(tv_sec: timeout, tv_usec: 0)
        let size = socklen_t(MemoryLayout<timeval>.size)
        guard setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, size) == 0,
              setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, size) == 0 else {
            let code = errno
            Glibc.close(fd)
            throw HarnessError.system("setsockopt", code)
        }
    }

    deinit { close() }

    /// A client of a listening Unix socket.
    static func connect(unixPath: String) throws -> RawClient {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw HarnessError.system("socket", errno) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let path = Array(unixPath.utf8)
        guard path.count < MemoryLayout.size(ofValue: address.sun_path) else {
            Glibc.close(fd)
            throw HarnessError.protocolError("socket path too long")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: path) }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard connected == 0 else {
            let code = errno
            Glibc.close(fd)
            throw HarnessError.system("connect", code)
        }
        return try RawClient(fd: fd)
    }

    func send(_ bytes: [UInt8]) throws {
        let ok = bytes.withUnsafeBytes { FileDescriptorIO.writeAll(fd, $0) }
        guard ok else { throw HarnessError.system("write", errno) }
    }

    func send(_ records: [Record]) throws {
        try send(Wire.encode(records))
    }

    /// The next record from the server; throws at end of stream or after the time limit.
    func nextRecord() throws -> Record {
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            if let record = try decoder.next() { return record }
            let n = buffer.withUnsafeMutableBytes { FileDescriptorIO.read(fd, into: $0) }
            if n == 0 { throw HarnessError.endOfStream }
            if n < 0 {
                throw errno == EAGAIN || errno == EWOULDBLOCK ? HarnessError.timedOut : HarnessError.system("read", errno)
            }
            buffer.withUnsafeBytes { decoder.append(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
        }
    }

    /// Every record of one response: STDOUT/STDERR up to and including END_REQUEST.
    func readResponse(id: UInt16) throws -> ReceivedResponse {
        var records: [Record] = []
        while true {
            let record = try nextRecord()
            guard record.requestID == id else {
                throw HarnessError.protocolError("record type \(record.type) for request \(record.requestID) while reading \(id)")
            }
            records.append(record)
            if record.kind == .endRequest { return ReceivedResponse(records: records) }
        }
    }

    /// True when the server closed the connection with nothing more to say.
    func readsEndOfStream() -> Bool {
        do {
            let record = try nextRecord()
            reportUnexpected(record)
            return false
        } catch {
            return (error as? HarnessError) == .endOfStream
        }
    }

    /// True when nothing arrives and the connection stays open for `milliseconds`.
    func staysQuiet(milliseconds: Int32 = 150) -> Bool {
        guard decoder.bufferedByteCount == 0 else { return false }
        var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        return poll(&descriptor, 1, milliseconds) == 0
    }

    /// Waits until the server has closed its end of the socket pair.
    func waitForRunToReturn(timeout: TimeInterval = 5) -> Bool {
        guard let finished else { return false }
        guard finished.wait(timeout: .now() + timeout) == .success else { return false }
        finished.signal() // stays observable for later waits
        return true
    }

    func close() {
        guard !isClosed else { return }
        isClosed = true
        Glibc.close(fd)
    }

    private func reportUnexpected(_ record: Record) {
        print("unexpected record type \(record.type) id \(record.requestID), \(record.content.count) bytes")
    }
}
