import Dispatch
import Foundation
#if canImport(Glibc)
import Glibc
#endif
@testable import FastCGI

/// A real `Server` listening on a Unix socket in a temporary directory, its
/// `run()` on a background thread, answering with a `RecordingResponder`.
final class RunningServer {
    let directory: String
    let socketPath: String
    let server: Server
    let log = CallLog()
    private let returned = DispatchSemaphore(value: 0)
    private var clients: [RawClient] = []

    init(maxConnections: Int) throws {
        directory = try TemporaryDirectory.make()
        socketPath = directory + "/fcgi.sock"
        let spool = directory + "/spool"
        guard mkdir(spool, 0o700) == 0 else { throw HarnessError.system("mkdir", errno) }
        server = try Server(configuration: ServerConfiguration(listen: .unix(path: socketPath), maxConnections: maxConnections,
                                                               spoolDirectory: spool),
                            responder: RecordingResponder(log: log))
        let server = server
        let returned = returned
        let thread = Thread {
            server.run()
            returned.signal()
        }
        thread.start()
    }

    /// A new client connection, closed at tear-down.
    func connect() throws -> RawClient {
        let client = try RawClient.connect(unixPath: socketPath)
        clients.append(client)
        return client
    }

    /// True once `run()` has returned (within `timeout`).
    func waitForRunToReturn(timeout: TimeInterval = 5) -> Bool {
        guard returned.wait(timeout: .now() + timeout) == .success else { return false }
        returned.signal()
        return true
    }

    /// Closes the clients, stops the server, and removes the directory.
    func tearDown() {
        for client in clients { client.close() }
        clients = []
        log.slowGate.signal()
        server.stop()
        _ = waitForRunToReturn()
        try? FileManager.default.removeItem(atPath: directory)
    }
}
