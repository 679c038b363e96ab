#if canImport(Glibc)
import Glibc
#endif

/// One point on the monotonic clock that every wait of a reply shares, so a peer that trickles
/// its bytes cannot stretch the reply by resetting a per-read timeout.
struct ReplyDeadline {
    let end: Double

    init(seconds: Double) { end = EventLoop.monotonicSeconds() + seconds }

    /// Reads what arrives before the deadline: 0 at end of stream, -1 once it has passed.
    func read(_ fd: Int32, into buffer: inout [UInt8]) -> Int {
        let left = Int32(((end - EventLoop.monotonicSeconds()) * 1000).rounded(.up))
        guard left > 0 else { return -1 }
        var ready = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&ready, 1, left) > 0 else { return -1 }
        return buffer.withUnsafeMutableBytes { FileDescriptorIO.read(fd, into: $0) }
    }

    /// Makes a write on `fd` block at most until the deadline; false once it has passed.
    func limitWrites(on fd: Int32) -> Bool {
        let left = end - EventLoop.monotonicSeconds()
        guard left > 0 else { return false }
        var timeout = timeval(tv_sec: Int(left), tv_usec: Int((left - left.rounded(.down)) * 1_000_000))
        return setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size)) == 0
    }
}
