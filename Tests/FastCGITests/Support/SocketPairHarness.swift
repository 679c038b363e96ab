import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif
@testable import FastCGI
import PsyxTestSupport

/// A `Server` that is never run, whose connections are socket pairs: one end
/// served by the server's event loops (and workers), the other driven by a test
/// with raw records. The listening socket the server insists on lives in a
/// temporary directory next to the spool directory.
final class SocketPairHarness {
    let directory: String
    let spoolDirectory: String
    let server: Server
    let log: CallLog
    private var clients: [RawClient] = []

    init(maxConnections: Int = 4, maxBodyBytes: Int = 1 << 30, memoryBodyLimit: Int = 1 << 20,
         requestReadTimeout: Double = 60, idleTimeout: Double = 120, responder: (any Responder)? = nil,
         receivers: ReceiverLog? = nil, inline: Bool = true, eventLoops: Int = 2) throws {
        directory = try TemporaryDirectory.make()
        spoolDirectory = directory + "/spool"
        guard mkdir(spoolDirectory, 0o700) == 0 else { throw HarnessError.system("mkdir", errno) }
        log = CallLog()
        let configuration = ServerConfiguration(listen: .unix(path: directory + "/fcgi.sock"), maxConnections: maxConnections,
                                                maxBodyBytes: maxBodyBytes, memoryBodyLimit: memoryBodyLimit,
                                                spoolDirectory: spoolDirectory, requestReadTimeout: requestReadTimeout,
                                                idleTimeout: idleTimeout, eventLoops: eventLoops)
        let (calls, spool) = (log, spoolDirectory)
        let receiving = receivers.map { ReceivingResponder(log: $0, calls: calls, spoolDirectory: spool) }
        server = try Server(configuration: configuration, responder: responder ?? receiving ?? RecordingResponder(log: log, inline: inline))
    }

    /// A new socket pair whose server end is served on a background thread.
    func connect() throws -> RawClient {
        var fds: [Int32] = [-1, -1]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue), 0, &fds) == 0 else {
            throw HarnessError.system("socketpair", errno)
        }
        let finished = DispatchSemaphore(value: 0)
        // What Server.run() does with an accepted connection: take its slot, give it to a loop.
        _ = server.counters.tryOpen(limit: Int.max)
        server.adopt(fds[1]) { finished.signal() }
        let client = try RawClient(fd: fds[0], finished: finished)
        clients.append(client)
        return client
    }

    /// Names of the files in the spool directory now.
    func spoolFiles() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: spoolDirectory)) ?? []).sorted()
    }

    /// Waits until the spool directory holds a file (a body is being spooled).
    func waitForSpoolFile(timeout: TimeInterval = 5) -> Bool {
        Wait.until(timeout: timeout) { !self.spoolFiles().isEmpty }
    }

    /// Closes every client, waits for their connections to end, closes the listener, removes the directory.
    func tearDown() {
        for client in clients { client.close() }
        for client in clients { _ = client.waitForRunToReturn(timeout: 5) }
        clients = []
        // The listener was never served: stop, then a run() that returns at once, closes it.
        server.stop()
        server.run()
        try? FileManager.default.removeItem(atPath: directory)
    }
}

enum HarnessError: Error, Equatable {
    case system(String, Int32)
    case timedOut
    case endOfStream
    case protocolError(String)
}

enum TemporaryDirectory {
    /// A fresh directory under /tmp, short enough for a Unix socket path inside it.
    static func make() throws -> String {
        var template = Array("/tmp/fcgi-test-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { buffer -> Bool in
            guard let base = buffer.baseAddress else { return false }
            return mkdtemp(base) != nil
        }
        guard made else { throw HarnessError.system("mkdtemp", errno) }
        return String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
