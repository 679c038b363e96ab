#if canImport(Glibc)
import Glibc
#endif

/// Unix-domain stream sockets for the tests' own FastCGI client and fake responder.
enum UnixSocket {
    /// A connected socket; reads and writes time out after 30 s, so a responder
    /// that never answers fails the test instead of hanging it.
    static func connect(path: String) throws -> Int32 {
        let fd = try make(path: path) { fd, address, length in Glibc.connect(fd, address, length) }
        var timeout = timeval(tv_sec: 30, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        return fd
    }

    /// A listening socket at `path` (mode 0660, like psyx's).
    static func listen(path: String) throws -> Int32 {
        unlink(path)
        let fd = try make(path: path) { fd, address, length in bind(fd, address, length) }
        chmod(path, 0o660)
        guard Glibc.listen(fd, 64) == 0 else {
            close(fd)
            throw StackError("listen(\(path)) failed: errno \(errno)")
        }
        return fd
    }

    private static func make(path: String, _ operation: (Int32, UnsafePointer<sockaddr>, socklen_t) -> Int32) throws -> Int32 {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw StackError("socket() failed: errno \(errno)") }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
            close(fd)
            throw StackError("socket path too long: \(path)")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                operation(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard result == 0 else {
            let error = errno
            close(fd)
            throw StackError("socket \(path): errno \(error)")
        }
        return fd
    }
}
