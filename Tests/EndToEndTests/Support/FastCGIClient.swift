#if canImport(Glibc)
import Glibc
#endif
import FastCGI
import Foundation

/// A minimal FastCGI client that talks to the responder's socket directly, the
/// way a web server would, without Nginx in between: to show what the responder
/// itself does when a request arrives that Nginx would never have let through.
struct FastCGIClient {
    let socketPath: String

    /// What the responder answered: the CGI response split up, and END_REQUEST.
    struct Reply {
        let status: Int
        /// Header names lowercased, in order.
        let headers: [(name: String, value: String)]
        let body: [UInt8]
        let appStatus: UInt32
        let protocolStatus: UInt8

        var text: String { String(decoding: body, as: UTF8.self) }
    }

    /// Sends one request (BEGIN_REQUEST without KEEP_CONN, PARAMS, STDIN) on a
    /// new connection and reads until END_REQUEST.
    func request(_ params: [(name: String, value: String)], body: [UInt8] = []) throws -> Reply {
        let fd = try UnixSocket.connect(path: socketPath)
        defer { close(fd) }

        let requestID: UInt16 = 1
        var out: [UInt8] = []
        // role = responder (1), flags = 0: the responder closes after answering.
        RecordEncoder.append(Record(.beginRequest, requestID: requestID, content: [0, 1, 0, 0, 0, 0, 0, 0]), to: &out)
        RecordEncoder.appendStream(.params, requestID: requestID, bytes: NameValuePairs.encode(params), to: &out)
        RecordEncoder.appendEndOfStream(.params, requestID: requestID, to: &out)
        RecordEncoder.appendStream(.stdin, requestID: requestID, bytes: body, to: &out)
        RecordEncoder.appendEndOfStream(.stdin, requestID: requestID, to: &out)
        try writeAll(fd, out)

        var decoder = RecordDecoder()
        var stdout: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            while let record = try decoder.next() {
                switch record.kind {
                case .stdout:
                    stdout += record.content
                case .endRequest where record.content.count >= 5:
                    let c = record.content
                    let appStatus = UInt32(c[0]) << 24 | UInt32(c[1]) << 16 | UInt32(c[2]) << 8 | UInt32(c[3])
                    return Self.reply(cgiOutput: stdout, appStatus: appStatus, protocolStatus: c[4])
                default:
                    continue
                }
            }
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else {
                throw StackError("the responder closed the connection before END_REQUEST (read \(n), errno \(errno))")
            }
            decoder.append(Array(buffer[0..<n]))
        }
    }

    /// Splits CGI output (`Status: 403 Forbidden`, headers, blank line, body).
    static func reply(cgiOutput: [UInt8], appStatus: UInt32, protocolStatus: UInt8) -> Reply {
        var split = cgiOutput.count
        var bodyStart = cgiOutput.count
        var index = 0
        while index + 3 < cgiOutput.count {
            if cgiOutput[index] == 13, cgiOutput[index + 1] == 10, cgiOutput[index + 2] == 13, cgiOutput[index + 3] == 10 {
                split = index
                bodyStart = index + 4
                break
            }
            index += 1
        }
        var status = 200
        var headers: [(name: String, value: String)] = []
        for line in String(decoding: cgiOutput[0..<split], as: UTF8.self).components(separatedBy: "\r\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            if name == "status" {
                status = Int(value.prefix { $0.isNumber }) ?? 0
            }
            headers.append((name: name, value: value))
        }
        return Reply(status: status, headers: headers, body: Array(cgiOutput[bodyStart...]),
                     appStatus: appStatus, protocolStatus: protocolStatus)
    }

    private func writeAll(_ fd: Int32, _ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { raw in
                write(fd, raw.baseAddress.map { $0 + offset }, raw.count - offset)
            }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw StackError("write to the responder failed: errno \(errno)") }
            offset += n
        }
    }
}
