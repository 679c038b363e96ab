import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A listening socket: opens it, accepts from it, closes it.
final class Listener: Sendable {
    let fd: Int32
    private let unixPath: String?

    init(_ address: ListenAddress, backlog: Int32 = 1024) throws {
        switch address {
        case .unix(let path):
            fd = try Self.openUnix(path: path, backlog: backlog)
            unixPath = path
        case .tcp(let host, let port):
            fd = try Self.openTCP(host: host, port: port, backlog: backlog)
            unixPath = nil
        case .inherited(let inherited):
            var type: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            guard getsockopt(inherited, SOL_SOCKET, SO_TYPE, &type, &length) == 0 else {
                throw ListenerError.notASocket(fd: inherited)
            }
            fd = inherited
            unixPath = nil
        }
    }

    /// The next connection, nil once the listener was shut down.
    func accept() -> Int32? {
        while true {
            let client = Glibc.accept(fd, nil, nil)
            if client >= 0 { return client }
            switch errno {
            case EINTR, ECONNABORTED, EPROTO: continue
            case EMFILE, ENFILE, ENOBUFS, ENOMEM:
                usleep(10_000)
                continue
            default: return nil
            }
        }
    }

    /// Wakes a blocked `accept` so the server loop can end.
    func shutdown() {
        _ = Glibc.shutdown(fd, Int32(SHUT_RDWR))
    }

    func close() {
        _ = Glibc.close(fd)
        if let unixPath { unlink(unixPath) }
    }

    private static func openUnix(path: String, backlog: Int32) throws -> Int32 {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let pathBytes = Array(path.utf8)
        guard pathBytes.count < MemoryLayout.size(ofValue: address.sun_path) else { throw ListenerError.pathTooLong(path) }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: pathBytes)
        }
        if isLive(&address) { throw ListenerError.inUse(path) }
        unlink(path)
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw ListenerError.system("socket", errno) }
        let length = socklen_t(MemoryLayout<sockaddr_un>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard bound == 0 else {
            let code = errno
            Glibc.close(fd)
            throw ListenerError.system("bind \(path)", code)
        }
        chmod(path, 0o660)
        guard listen(fd, backlog) == 0 else {
            let code = errno
            Glibc.close(fd)
            throw ListenerError.system("listen", code)
        }
        return fd
    }

    /// Whether another process still serves the socket file (then it is not stale).
    private static func isLive(_ address: inout sockaddr_un) -> Bool {
        let probe = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue), 0)
        guard probe >= 0 else { return false }
        defer { Glibc.close(probe) }
        let length = socklen_t(MemoryLayout<sockaddr_un>.size)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(probe, $0, length) == 0 }
        }
    }

    private static func openTCP(host: String, port: UInt16, backlog: Int32) throws -> Int32 {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV
        var result: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &result)
        guard status == 0, let info = result else { throw ListenerError.unknownHost(host) }
        defer { freeaddrinfo(result) }
        let fd = socket(info.pointee.ai_family, info.pointee.ai_socktype | Int32(SOCK_CLOEXEC.rawValue), info.pointee.ai_protocol)
        guard fd >= 0 else { throw ListenerError.system("socket", errno) }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        guard bind(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0, listen(fd, backlog) == 0 else {
            let code = errno
            Glibc.close(fd)
            throw ListenerError.system("bind \(host):\(port)", code)
        }
        return fd
    }
}

public enum ListenerError: Error, CustomStringConvertible {
    case notASocket(fd: Int32)
    case pathTooLong(String)
    case inUse(String)
    case unknownHost(String)
    case system(String, Int32)

    public var description: String {
        switch self {
        case .notASocket(let fd): "fd \(fd) is not a listening socket"
        case .pathTooLong(let path): "socket path too long: \(path)"
        case .inUse(let path): "another server is listening on \(path)"
        case .unknownHost(let host): "cannot resolve \(host)"
        case .system(let call, let code): "\(call) failed: \(String(cString: strerror(code)))"
        }
    }
}
