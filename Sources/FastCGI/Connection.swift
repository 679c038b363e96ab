#if canImport(Glibc)
import Glibc
#endif

/// One web-server connection: records in, requests assembled and answered in
/// turn, kept open when FCGI_KEEP_CONN asks for it.
///
/// Two drivers take turns, never at once. An `EventLoop` feeds it the bytes it
/// reads (`receive`) and gets it answered inline when the responder allows; a
/// request that may wait makes it ask to be handed off, and a worker thread
/// serves that request to its end with blocking reads (`serveHandedOffRequest`)
/// before giving the connection back. The loop never waits for the peer either: what a
/// socket does not take at once is left for a worker to write (`unsent`), and a streamed
/// answer is always produced on a worker. Unchecked `Sendable` for that hand-over:
/// epoll removal before a hand-off and the loop's inbox lock on the way back
/// order the two threads' use of it.
final class Connection: @unchecked Sendable {
    /// What the driver must do next.
    enum Step: Equatable {
        /// Every complete record is handled: read more when there are bytes.
        case waitForBytes
        /// A request begins that must not be answered on the event loop, or output waits for the peer.
        case handOff
        /// The connection is done (peer's wish, protocol error, stopping, or a failed write).
        case close
    }

    let fd: Int32
    private let context: ServerContext
    private var decoder = RecordDecoder()
    private var assembler: RequestAssembler
    /// The assembler's actions not yet performed: a hand-off stops in the middle of a list.
    private var pending: [RequestAssembler.Action] = []
    private var pendingIndex = 0
    private var head: RequestHead?
    /// The current request's CONTENT_LENGTH as sent (nil when absent), looked up once.
    private var contentLength: String?
    /// The responder's plan for the current request, asked once when its params are complete.
    private var plan: RequestPlan?
    private var spool: BodySpool?
    /// Output the loop could not write without waiting, and whether the current request ends
    /// with it: a worker writes it, blocking, before anything else.
    private var unsent: (output: DeferredOutput, endsRequest: Bool)?
    /// Called once the connection is closed (tests wait on it).
    let onClose: (@Sendable () -> Void)?
    /// When bytes last arrived or a request ended, on the event loop's clock, for its timeouts.
    var lastActivity: Double = 0

    init(fd: Int32, context: ServerContext, onClose: (@Sendable () -> Void)? = nil) {
        self.fd = fd
        self.context = context
        self.onClose = onClose
        assembler = RequestAssembler(serverValues: context.configuration.managementValues)
        // The loop only reads when epoll says bytes are there, so the receive timeout bounds
        // a worker's wait inside a request, and the send timeout any write.
        setTimeout(SO_RCVTIMEO, seconds: context.configuration.requestReadTimeout)
        setTimeout(SO_SNDTIMEO, seconds: context.configuration.sendTimeout)
    }

    /// Between requests with nothing buffered: the idle timeout applies and `stop()` may close it.
    var isIdle: Bool {
        assembler.isIdle && decoder.bufferedByteCount == 0 && pendingIndex == pending.count && unsent == nil
    }

    /// Event loop: the bytes it just read.
    func receive(_ bytes: UnsafeRawBufferPointer) -> Step {
        decoder.append(bytes)
        return drain(onLoop: true)
    }

    /// Worker: serves the handed-off request to its end; true when the connection stays open,
    /// idle, for the event loop to take back.
    func serveHandedOffRequest(buffer: UnsafeMutableRawBufferPointer) -> Bool {
        guard writeUnsent() else { return false }
        var step = drain(onLoop: false)
        while step == .waitForBytes {
            if assembler.isIdle { return true }
            let n = FileDescriptorIO.read(fd, into: buffer)
            guard n > 0 else { return false }
            decoder.append(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
            step = drain(onLoop: false)
        }
        return false
    }

    /// Closes the socket and drops a half-received body; called once by whoever drives it last.
    func close() {
        finishRequest()
        Glibc.close(fd)
        onClose?()
    }

    private func setTimeout(_ option: Int32, seconds: Double) {
        var timeout = timeval(tv_sec: Int(seconds), tv_usec: Int((seconds - seconds.rounded(.down)) * 1_000_000))
        setsockopt(fd, SOL_SOCKET, option, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    /// Performs the actions of every complete record buffered, stopping early for a hand-off.
    private func drain(onLoop: Bool) -> Step {
        while true {
            while pendingIndex < pending.count {
                let action = pending[pendingIndex]
                if onLoop, case .start(let newHead) = action {
                    guard let inline = answersInline(newHead) else { return .close }
                    if !inline { return .handOff }
                }
                pendingIndex += 1
                guard perform(action, onLoop: onLoop) else { return .close }
                if unsent != nil { return .handOff }
            }
            let record: Record?
            do { record = try decoder.next() } catch { return .close }
            guard let record else { return .waitForBytes }
            pending = assembler.receive(record)
            pendingIndex = 0
        }
    }

    /// Inline only when the responder says so and the body is known to stay in memory, or when
    /// the answer is decided already (its body is dropped, never stored); nil when the record
    /// looked ahead at is malformed. An empty CONTENT_LENGTH is what Nginx sends for
    /// every request without a body (every GET) and for a body it passes on while it arrives;
    /// Apache sends none at all for a chunked body. The record behind the params tells them
    /// apart, the STDIN stream's empty closing record meaning no body. A web server writes a
    /// bodiless request in one go, so that record is usually read already; when it is not, the
    /// request goes to a worker, which is always safe.
    private func answersInline(_ head: RequestHead) -> Bool? {
        let plan = context.responder.plan(for: Request(id: head.id, params: head.params, keepConnection: head.keepConnection))
        self.plan = plan
        if plan.answer != nil { return true }
        guard plan.answersInline else { return false }
        guard let known = Self.bodyStaysInMemory(declaredLength: head.params["CONTENT_LENGTH"],
                                                 limit: context.configuration.memoryBodyLimit) else {
            return streamEndsRightAfterStart()
        }
        return known
    }

    /// With `.start` the current pending action: whether the action after it is the body's end,
    /// decoding the next record if it is buffered; nil when that record is malformed.
    private func streamEndsRightAfterStart() -> Bool? {
        if pendingIndex + 1 == pending.count {
            do {
                if let record = try decoder.next() { pending += assembler.receive(record) }
            } catch {
                return nil
            }
        }
        guard pendingIndex + 1 < pending.count, case .end = pending[pendingIndex + 1] else { return false }
        return true
    }

    private func perform(_ action: RequestAssembler.Action, onLoop: Bool) -> Bool {
        switch action {
        case .write(let bytes):
            guard onLoop else { return bytes.withUnsafeBytes { FileDescriptorIO.writeAll(fd, $0) } }
            let taken = bytes.withUnsafeBytes { FileDescriptorIO.sendWithoutWaiting(fd, pieces: [$0]) }
            if taken >= 0 && taken < bytes.count { unsent = (.rest(Array(bytes[taken...])), false) }
            return taken >= 0
        case .start(let newHead):
            // On the loop only inline requests start; their bodies are collected here.
            start(newHead, askForReceiver: !onLoop)
            return true
        case .refuse(let newHead, let reason):
            // Its body is dropped as it comes and the refusal answered at its end, on whichever thread.
            head = newHead
            spool = BodySpool(limits: context.bodyLimits, declaredLength: nil, refusal: reason)
            return true
        case .body(let bytes):
            spool?.append(bytes)
            return true
        case .end:
            return respond(onLoop: onLoop)
        case .abort(_, let keep):
            finishRequest()
            return keep
        case .close:
            return false
        }
    }

    /// The body is collected under the lower of the server's and the request's limit; a request
    /// answered inline has its (small) body collected by the server, one whose answer is decided
    /// has none (its bytes are dropped). The plan is the loop's when it asked already.
    private func start(_ newHead: RequestHead, askForReceiver: Bool) {
        head = newHead
        let request = Request(id: newHead.id, params: newHead.params, keepConnection: newHead.keepConnection)
        let plan = self.plan ?? context.responder.plan(for: request)
        self.plan = plan
        guard plan.answer == nil else { return }
        contentLength = newHead.params["CONTENT_LENGTH"]
        var limits = context.bodyLimits
        if let requestLimit = plan.maxBodyBytes { limits.maxBytes = min(limits.maxBytes, requestLimit) }
        let newSpool = BodySpool(limits: limits, declaredLength: contentLength.flatMap { Int($0) })
        if newSpool.failure == nil, askForReceiver {
            newSpool.receiver = context.responder.bodyReceiver(for: request)
        }
        spool = newSpool
    }

    /// Answers the assembled request; false when the connection must close afterwards. On the
    /// loop, an answer the socket does not take whole is finished by a worker (`unsent`).
    private func respond(onLoop: Bool) -> Bool {
        guard let head else { return false }
        let responder = context.responder
        var request = Request(id: head.id, params: head.params, keepConnection: head.keepConnection)
        let response: Response
        if let answer = plan?.answer {
            response = answer
        } else if let spool {
            response = Self.answer(request: &request, body: spool.finish(), declaredLength: contentLength, responder: responder)
        } else {
            return false
        }
        // A body receiver is released (and cleans up what it left) before the answer goes out.
        request.body = RequestBody()
        let writer = ResponseWriter(fd: fd, requestID: head.id)
        guard onLoop else { return endRequest(sent: writer.send(response)) }
        switch writer.sendWithoutWaiting(response) {
        case .sent: return endRequest(sent: true)
        case .failed: return endRequest(sent: false)
        case .rest(let bytes): unsent = (.rest(bytes), true)
        case .notBegun: unsent = (.response(response, requestID: head.id), true)
        }
        return true
    }

    /// Worker: what the loop left unwritten goes out first; false when the connection must close.
    private func writeUnsent() -> Bool {
        guard let (output, endsRequest) = unsent else { return true }
        unsent = nil
        let sent = switch output {
        case .rest(let bytes): bytes.withUnsafeBytes { FileDescriptorIO.writeAll(fd, $0) }
        case .response(let response, let requestID): ResponseWriter(fd: fd, requestID: requestID).send(response)
        }
        return endsRequest ? endRequest(sent: sent) : sent
    }

    /// The answer is out (or failed): whether the connection goes on.
    private func endRequest(sent: Bool) -> Bool {
        let keep = head?.keepConnection ?? false
        finishRequest()
        return sent && keep && !context.isStopping
    }

    private func finishRequest() {
        spool?.discard()
        spool = nil
        unsent = nil
        head = nil
        contentLength = nil
        plan = nil
        assembler.finishRequest()
    }
}
