#if canImport(Glibc)
import Glibc
#endif

/// The answer to a connection over the cap: read its BEGIN_REQUEST, answer 503, close. It runs on
/// a shared thread, so all of it — reading the request, writing the answer, letting the web
/// server read it — ends by one deadline, however slowly a peer trickles its bytes.
enum OverloadReply {
    static func send(on fd: Int32, responder: any Responder, deadline seconds: Double = 2) {
        defer { close(fd) }
        let deadline = ReplyDeadline(seconds: seconds)
        var decoder = RecordDecoder()
        var buffer = [UInt8](repeating: 0, count: 4096)
        var requestID: UInt16?
        while requestID == nil {
            let n = deadline.read(fd, into: &buffer)
            guard n > 0 else { return }
            buffer.withUnsafeBytes { decoder.append(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
            while requestID == nil, let record = try? decoder.next() {
                if record.kind == .beginRequest { requestID = record.requestID }
            }
            if decoder.bufferedByteCount > 1 << 20 { return }
        }
        guard let requestID, deadline.limitWrites(on: fd) else { return }
        let request = Request(id: requestID, params: [:])
        let writer = ResponseWriter(fd: fd, requestID: requestID)
        guard writer.send(responder.reject(request, because: .overloaded)) else { return }
        // Let the web server read the answer before the unread rest of its request is dropped.
        shutdown(fd, Int32(SHUT_WR))
        while deadline.read(fd, into: &buffer) > 0 {}
    }
}
