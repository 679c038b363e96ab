#if canImport(Glibc)
import Glibc
#endif

/// The answer to a connection over the cap: read its BEGIN_REQUEST, answer 503, close.
enum OverloadReply {
    static func send(on fd: Int32, responder: any Responder) {
        defer { close(fd) }
        // Nginx sends its request at once; a silent peer must not hold a rejection thread long.
        var timeout = timeval(tv_sec: 0, tv_usec: 250_000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var decoder = RecordDecoder()
        var buffer = [UInt8](repeating: 0, count: 4096)
        var requestID: UInt16?
        while requestID == nil {
            let n = buffer.withUnsafeMutableBytes { FileDescriptorIO.read(fd, into: $0) }
            guard n > 0 else { return }
            buffer.withUnsafeBytes { decoder.append(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
            while requestID == nil, let record = try? decoder.next() {
                if record.kind == .beginRequest { requestID = record.requestID }
            }
            if decoder.bufferedByteCount > 1 << 20 { return }
        }
        guard let requestID else { return }
        let request = Request(id: requestID, params: [:])
        let writer = ResponseWriter(fd: fd, requestID: requestID)
        guard writer.send(responder.reject(request, because: .overloaded)) else { return }
        // Let the web server read the answer before the unread rest of its request is dropped.
        shutdown(fd, Int32(SHUT_WR))
        while buffer.withUnsafeMutableBytes({ FileDescriptorIO.read(fd, into: $0) }) > 0 {}
    }
}
