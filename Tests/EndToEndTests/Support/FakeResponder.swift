#if canImport(Glibc)
import Glibc
#endif
import FastCGI
import Foundation
import Synchronization

/// A stand-in for psyx on the socket that answers every request `200 fake` and
/// remembers the parameters Nginx sent: to see exactly what the site file passes
/// on (REMOTE_USER, no Authorization...), which the real responder never echoes.
final class FakeResponder: Sendable {
    private let listener: Int32
    private let received = Mutex<[[String: String]]>([])

    /// The parameters of every request so far, in arrival order.
    var requests: [[String: String]] { received.withLock { $0 } }

    /// Listens on `socketPath` and serves connections on background threads.
    init(socketPath: String) throws {
        listener = try UnixSocket.listen(path: socketPath)
        let listener = listener
        Thread { [self] in
            while true {
                let connection = accept(listener, nil, nil)
                if connection < 0 {
                    if errno == EINTR { continue }
                    return
                }
                Thread { [self] in serve(connection) }.start()
            }
        }.start()
    }

    /// Stops accepting (connections still open end when Nginx closes them).
    func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    private func serve(_ fd: Int32) {
        defer { close(fd) }
        var decoder = RecordDecoder()
        var params: [UInt8] = []
        var keepConnection = false
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            guard n > 0 else { return }
            decoder.append(Array(buffer[0..<n]))
            while let record = try? decoder.next() {
                switch record.kind {
                case .beginRequest where record.content.count >= 3:
                    keepConnection = record.content[2] & 1 == 1
                    params = []
                case .params:
                    params += record.content
                case .stdin where record.content.isEmpty:
                    let pairs = (try? NameValuePairs.decode(params)) ?? []
                    received.withLock { $0.append(Dictionary(pairs.map { ($0.name, $0.value) }) { $1 }) }
                    guard answer(fd, requestID: record.requestID), keepConnection else { return }
                default:
                    continue
                }
            }
        }
    }

    private func answer(_ fd: Int32, requestID: UInt16) -> Bool {
        var out: [UInt8] = []
        let cgi = Array("Status: 200 OK\r\nContent-Type: text/plain\r\n\r\nfake".utf8)
        RecordEncoder.appendStream(.stdout, requestID: requestID, bytes: cgi, to: &out)
        RecordEncoder.appendEndOfStream(.stdout, requestID: requestID, to: &out)
        RecordEncoder.appendEndRequest(requestID: requestID, appStatus: 0, protocolStatus: .requestComplete, to: &out)
        return out.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = write(fd, raw.baseAddress.map { $0 + offset }, raw.count - offset)
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { return false }
                offset += n
            }
            return true
        }
    }
}
