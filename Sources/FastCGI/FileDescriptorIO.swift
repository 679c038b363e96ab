#if canImport(Glibc)
import Glibc
#endif

/// Reads and writes that retry on EINTR and short writes.
public enum FileDescriptorIO {
    /// Writes every byte; false when the peer or the file refused.
    public static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Bool {
        guard var base = bytes.baseAddress else { return true }
        var remaining = bytes.count
        while remaining > 0 {
            let n = write(fd, base, remaining)
            if n < 0 {
                if errno == EINTR { continue }
                return false
            }
            if n == 0 { return false }  // nothing taken: never spin on it
            remaining -= n
            base += n
        }
        return true
    }

    /// Writes the pieces in order with one `writev` per 512 of them when the kernel takes them whole
    /// (the usual case), finishing with plain writes after a short one; false when the peer or the
    /// file refused. (The kernel takes at most IOV_MAX = 1024 pieces per call.)
    public static func writeAll(_ fd: Int32, pieces: [UnsafeRawBufferPointer]) -> Bool {
        var first = 0
        while first < pieces.count {
            let batch = pieces[first..<min(first + 512, pieces.count)]
            first = batch.endIndex
            var vectors = batch.map { iovec(iov_base: UnsafeMutableRawPointer(mutating: $0.baseAddress), iov_len: $0.count) }
            var written: Int
            repeat { written = writev(fd, &vectors, Int32(vectors.count)) } while written < 0 && errno == EINTR
            guard written >= 0 else { return false }
            for piece in batch {
                let skip = min(written, piece.count)
                written -= skip
                if skip < piece.count, !writeAll(fd, UnsafeRawBufferPointer(rebasing: piece[skip...])) { return false }
            }
        }
        return true
    }

    /// Writes to a socket what it takes now, without waiting, in one `sendmsg` of up to 512 pieces:
    /// the number of bytes taken (possibly fewer than all, 0 when it would block), -1 when the peer
    /// is gone. An event loop's writes: a peer that does not read must never hold the loop.
    public static func sendWithoutWaiting(_ fd: Int32, pieces: [UnsafeRawBufferPointer]) -> Int {
        var vectors = pieces.prefix(512).map { iovec(iov_base: UnsafeMutableRawPointer(mutating: $0.baseAddress), iov_len: $0.count) }
        return vectors.withUnsafeMutableBufferPointer { vectors -> Int in
            var message = msghdr()
            message.msg_iov = vectors.baseAddress
            message.msg_iovlen = vectors.count
            while true {
                let n = sendmsg(fd, &message, Int32(MSG_DONTWAIT) | Int32(MSG_NOSIGNAL))
                if n >= 0 { return n }
                if errno == EINTR { continue }
                return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -1
            }
        }
    }

    /// Reads what a socket has now; -1 with EAGAIN when nothing is there, 0 at end of stream.
    public static func receiveWithoutWaiting(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer) -> Int {
        while true {
            let n = recv(fd, buffer.baseAddress, buffer.count, Int32(MSG_DONTWAIT))
            if n < 0 && errno == EINTR { continue }
            return n
        }
    }

    /// Reads what is available into `buffer`; 0 at end of stream, -1 on error.
    public static func read(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer) -> Int {
        while true {
            let n = Glibc.read(fd, buffer.baseAddress, buffer.count)
            if n < 0 && errno == EINTR { continue }
            return n
        }
    }
}
