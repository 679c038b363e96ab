#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// HTTP/1.0 over a plain TCP socket to Nginx, for what curl cannot do on cue: a
/// body sent a byte at a time, a connection dropped halfway through an upload,
/// fifty clients at once without fifty processes. HTTP/1.0 keeps the answer
/// simple to read: no chunked encoding, the connection closes after it.
struct ReliabilityHTTP: Sendable {
    let port: Int
    /// Basic-auth credentials as `user:password`, for admin routes.
    var credentials: String?

    init(port: Int, credentials: HTTPClient.Credentials? = nil) {
        self.port = port
        self.credentials = credentials.map { "\($0.user):\($0.password)" }
    }

    /// The request line and headers of a request whose body is `contentLength` bytes.
    func head(_ method: String, _ path: String, headers: [String] = [], contentLength: Int? = nil) -> [UInt8] {
        var lines = ["\(method) \(path) HTTP/1.0", "Host: 127.0.0.1:\(port)"]
        if let credentials {
            lines.append("Authorization: Basic " + Data(credentials.utf8).base64EncodedString())
        }
        lines += headers
        if let contentLength { lines.append("Content-Length: \(contentLength)") }
        return Array((lines.joined(separator: "\r\n") + "\r\n\r\n").utf8)
    }

    /// One whole request and its answer.
    func request(_ method: String, _ path: String, headers: [String] = [], body: [UInt8] = []) throws -> HTTPResponse {
        let fd = try connect()
        defer { close(fd) }
        try Self.send(fd, head(method, path, headers: headers, contentLength: method == "GET" ? nil : body.count))
        try Self.send(fd, body)
        return try Self.readResponse(fd)
    }

    /// A JSON POST (start, submit).
    func post(_ path: String, json object: Any) throws -> HTTPResponse {
        let body = try JSONSerialization.data(withJSONObject: object)
        return try request("POST", path, headers: ["Content-Type: application/json"], body: Array(body))
    }

    /// A connected socket to Nginx; reads and writes time out after `timeout` seconds.
    func connect(timeout: Int = 60) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw StackError("socket() failed: errno \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            let code = errno
            close(fd)
            throw StackError("connect(127.0.0.1:\(port)) failed: errno \(code)")
        }
        var time = timeval(tv_sec: timeout, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
        return fd
    }

    /// Writes all of `bytes` or throws (EPIPE, never SIGPIPE, when the peer has closed).
    static func send(_ fd: Int32, _ bytes: [UInt8]) throws {
        try send(fd, bytes[...])
    }

    static func send(_ fd: Int32, _ bytes: ArraySlice<UInt8>) throws {
        var offset = bytes.startIndex
        while offset < bytes.endIndex {
            let n = bytes.withUnsafeBytes { raw in
                Glibc.send(fd, raw.baseAddress.map { $0 + (offset - bytes.startIndex) }, bytes.endIndex - offset, Int32(MSG_NOSIGNAL))
            }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw StackError("write to the peer failed: errno \(errno)") }
            offset += n
        }
    }

    /// Reads until Nginx closes, then splits status, headers and body.
    static func readResponse(_ fd: Int32) throws -> HTTPResponse {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n < 0 { throw StackError("read from Nginx failed: errno \(errno) after \(bytes.count) bytes") }
            if n == 0 { break }
            bytes += buffer[0..<n]
        }
        guard let end = bytes.firstRange(of: Array("\r\n\r\n".utf8)) else {
            throw StackError("no complete HTTP header in \(bytes.count) bytes: \(String(decoding: bytes.prefix(200), as: UTF8.self))")
        }
        let head = String(decoding: bytes[..<end.lowerBound], as: UTF8.self)
        let statusLine = head.prefix { $0 != "\r" }
        let parts = statusLine.split(separator: " ")
        guard parts.count >= 2, let status = Int(parts[1]) else { throw StackError("bad status line: \(statusLine)") }
        return HTTPResponse(status: status, headers: HTTPResponse.lastHeaderBlock(of: head), body: Array(bytes[end.upperBound...]))
    }
}
