/// Where the server takes its connections from.
public enum ListenAddress: Equatable, Sendable, CustomStringConvertible {
    /// A Unix socket file, created mode 0660; a stale file is replaced.
    case unix(path: String)
    /// A TCP port on a host address (loopback for a local Nginx).
    case tcp(host: String, port: UInt16)
    /// A listening socket inherited as a file descriptor (fd 0 by the FastCGI convention).
    case inherited(fd: Int32)

    /// Parses `unix:/path`, `tcp:HOST:PORT`, `HOST:PORT` or `fd:N`.
    public init?(_ text: String) {
        if text.hasPrefix("unix:") {
            let path = String(text.dropFirst(5))
            guard !path.isEmpty else { return nil }
            self = .unix(path: path)
        } else if text.hasPrefix("fd:") {
            guard let fd = Int32(text.dropFirst(3)), fd >= 0 else { return nil }
            self = .inherited(fd: fd)
        } else {
            let rest = text.hasPrefix("tcp:") ? String(text.dropFirst(4)) : text
            guard let colon = rest.lastIndex(of: ":"), let port = UInt16(rest[rest.index(after: colon)...]) else { return nil }
            var host = String(rest[..<colon])
            if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
            guard !host.isEmpty else { return nil }
            self = .tcp(host: host, port: port)
        }
    }

    public var description: String {
        switch self {
        case .unix(let path): "unix:\(path)"
        case .tcp(let host, let port): host.contains(":") ? "tcp:[\(host)]:\(port)" : "tcp:\(host):\(port)"
        case .inherited(let fd): "fd:\(fd)"
        }
    }
}
