#if canImport(Glibc)
import Glibc
#endif

/// One web-server connection: reads records, assembles requests, answers them
/// in turn, and keeps the connection when FCGI_KEEP_CONN asks for it.
/// Lives entirely on its own thread.
final class Connection {
    private let fd: Int32
    private let server: Server
    private let responder: any Responder
    private let entry: ConnectionRegistry.Entry
    private var decoder = RecordDecoder()
    private var assembler: RequestAssembler
    private var head: RequestHead?
    private var spool: BodySpool?
    /// The SO_RCVTIMEO now set, changed only when a request spans several reads.
    private var receiveTimeout = -1.0

    init(fd: Int32, server: Server, responder: any Responder, entry: ConnectionRegistry.Entry) {
        self.fd = fd
        self.entry = entry
        self.server = server
        self.responder = responder
        assembler = RequestAssembler(serverValues: server.configuration.managementValues)
    }

    /// Serves requests until the peer closes, a protocol error, or the end of a non-kept request.
    func run() {
        setTimeout(SO_SNDTIMEO, seconds: server.configuration.sendTimeout)
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        defer { spool?.discard() }
        while true {
            let n = buffer.withUnsafeMutableBytes { readNext(into: $0) }
            guard n > 0 else { return }
            buffer.withUnsafeBytes { decoder.append(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
            guard drainRecords() else { return }
        }
    }

    /// The peer's next bytes; 0 or less when the connection must close: the peer closed, the server
    /// is stopping, or a stalled request or a long-idle connection ran out of time. The wait is the
    /// socket's receive timeout, so a request costs one `read` rather than a `poll` and a `read`.
    private func readNext(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        let idle = assembler.isIdle && decoder.bufferedByteCount == 0
        if idle {
            guard entry.markIdle() else { return 0 }
        }
        defer { entry.markBusy() }
        let limit = idle ? server.configuration.idleTimeout : server.configuration.requestReadTimeout
        if limit != receiveTimeout {
            setTimeout(SO_RCVTIMEO, seconds: limit)
            receiveTimeout = limit
        }
        return FileDescriptorIO.read(fd, into: buffer)
    }

    private func setTimeout(_ option: Int32, seconds: Double) {
        var timeout = timeval(tv_sec: Int(seconds), tv_usec: Int((seconds - seconds.rounded(.down)) * 1_000_000))
        setsockopt(fd, SOL_SOCKET, option, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    /// Handles every complete record buffered; false when the connection must close.
    private func drainRecords() -> Bool {
        while true {
            let record: Record?
            do { record = try decoder.next() } catch { return false }
            guard let record else { return true }
            for action in assembler.receive(record) {
                guard perform(action) else { return false }
            }
        }
    }

    private func perform(_ action: RequestAssembler.Action) -> Bool {
        switch action {
        case .write(let bytes):
            return bytes.withUnsafeBytes { FileDescriptorIO.writeAll(fd, $0) }
        case .start(let newHead):
            head = newHead
            let limits = BodySpool.Limits(memoryLimit: server.configuration.memoryBodyLimit,
                                          maxBytes: server.configuration.maxBodyBytes,
                                          directory: server.configuration.spoolDirectory)
            let newSpool = BodySpool(limits: limits, declaredLength: newHead.params["CONTENT_LENGTH"].flatMap { Int($0) })
            if newSpool.failure == nil {
                newSpool.receiver = responder.bodyReceiver(for: Request(id: newHead.id, params: newHead.params,
                                                                        keepConnection: newHead.keepConnection))
            }
            spool = newSpool
            return true
        case .body(let bytes):
            spool?.append(bytes)
            return true
        case .end:
            return respond()
        case .abort(_, let keep):
            finishRequest()
            return keep
        case .close:
            return false
        }
    }

    /// Answers the assembled request; false when the connection must close afterwards.
    private func respond() -> Bool {
        guard let head, let spool else { return false }
        var request = Request(id: head.id, params: head.params, keepConnection: head.keepConnection)
        let response: Response
        switch spool.finish() {
        case .failure(let reason):
            response = responder.reject(request, because: reason)
        case .success(let body):
            let declared = head.params["CONTENT_LENGTH"].flatMap { $0.isEmpty ? 0 : Int($0) } ?? 0
            if head.params["CONTENT_LENGTH"] != nil && declared != body.count {
                response = responder.reject(request, because: .bodyLengthMismatch)
            } else if head.params["CONTENT_LENGTH"] == nil && body.count > 0 {
                response = responder.reject(request, because: .bodyLengthMismatch)
            } else {
                request.body = body
                response = responder.respond(to: request)
            }
        }
        // A body receiver is released (and cleans up what it left) before the answer goes out.
        request.body = RequestBody()
        let sent = ResponseWriter(fd: fd, requestID: head.id).send(response)
        finishRequest()
        return sent && head.keepConnection && !server.isStopping
    }

    private func finishRequest() {
        spool?.discard()
        spool = nil
        head = nil
        assembler.finishRequest()
    }
}
