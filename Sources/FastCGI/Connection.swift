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
/// before giving the connection back. Unchecked `Sendable` for that hand-over:
/// epoll removal before a hand-off and the loop's inbox lock on the way back
/// order the two threads' use of it.
final class Connection: @unchecked Sendable {
    /// What the driver must do next.
    enum Step: Equatable {
        /// Every complete record is handled: read more when there are bytes.
        case waitForBytes
        /// A request begins that must not be answered on the event loop.
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
        assembler.isIdle && decoder.bufferedByteCount == 0 && pendingIndex == pending.count
    }

    /// Event loop: the bytes it just read.
    func receive(_ bytes: UnsafeRawBufferPointer) -> Step {
        decoder.append(bytes)
        return drain(onLoop: true)
    }

    /// Worker: serves the handed-off request to its end; true when the connection stays open,
    /// idle, for the event loop to take back.
    func serveHandedOffRequest(buffer: UnsafeMutableRawBufferPointer) -> Bool {
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

    /// Whether a body announced so fits the in-memory limit, read as `bodyMatches` reads it; nil
    /// for a CONTENT_LENGTH absent or empty, which may announce any size: what follows decides
    /// (`answersInline`).
    static func bodyStaysInMemory(declaredLength: String?, limit: Int) -> Bool? {
        switch declaredLength {
        case nil, ""?: nil
        case let text?: (Int(text) ?? 0) <= limit
        }
    }

    private func perform(_ action: RequestAssembler.Action, onLoop: Bool) -> Bool {
        switch action {
        case .write(let bytes):
            return bytes.withUnsafeBytes { FileDescriptorIO.writeAll(fd, $0) }
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
            return respond()
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

    /// Answers the assembled request; false when the connection must close afterwards.
    private func respond() -> Bool {
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
        let sent = ResponseWriter(fd: fd, requestID: head.id).send(response)
        finishRequest()
        return sent && head.keepConnection && !context.isStopping
    }

    /// The responder's answer to a collected body, or its rejection; `request` holds the body meanwhile.
    private static func answer(request: inout Request, body: Result<RequestBody, Rejection>, declaredLength: String?,
                               responder: any Responder) -> Response {
        switch body {
        case .failure(let reason):
            return responder.reject(request, because: reason)
        case .success(let body):
            guard bodyMatches(declaredLength: declaredLength, count: body.count) else {
                return responder.reject(request, because: .bodyLengthMismatch)
            }
            request.body = body
            return responder.respond(to: request)
        }
    }

    /// Whether a body of `count` bytes is the one CONTENT_LENGTH announced. Absent or empty: a
    /// length the web server did not know — Nginx passing a chunked body on while it arrives
    /// (`fastcgi_request_buffering off`) sends it empty, Apache's mod_proxy_fcgi leaves it out —
    /// so the STDIN stream's closing empty record is the body's end, under the same limits; a
    /// body cut short never gets that record, its connection drops instead. A value that is no
    /// number counts as 0, as it always has.
    static func bodyMatches(declaredLength: String?, count: Int) -> Bool {
        switch declaredLength {
        case nil, ""?: true
        case let text?: (Int(text) ?? 0) == count
        }
    }

    private func finishRequest() {
        spool?.discard()
        spool = nil
        head = nil
        contentLength = nil
        plan = nil
        assembler.finishRequest()
    }
}
