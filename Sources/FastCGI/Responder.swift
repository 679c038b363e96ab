/// The one seam between the FastCGI layer and an application.
///
/// `respond` must not throw: the application decides how every failure looks.
/// The `reject` hooks let it also dress the answers the server gives on its own.
public protocol Responder: Sendable {
    func respond(to request: Request) -> Response
    /// The answer for a request the server refuses before the application sees it.
    func reject(_ request: Request, because reason: Rejection) -> Response
    /// Called once a request's params are complete (its body still empty): a receiver that
    /// takes the body as it arrives, or nil to have the server collect it (memory or spool file).
    func bodyReceiver(for request: Request) -> (any BodyReceiver)?
    /// Whether the answer is quick and never waits (no disk sync, no other request's lock held
    /// long), so an event loop may answer it on its own thread instead of handing the connection
    /// to a worker. Asked once the params are complete (by the default `plan`); the server then
    /// collects the body itself (`bodyReceiver` is not asked). The default, false, is always safe.
    func answersInline(_ request: Request) -> Bool
    /// Everything the server needs to know before the body: where to answer, the body limit, an
    /// answer already decided. Asked once per request, when its params are complete, on the event
    /// loop: it must be quick. The default asks `answersInline` and keeps the server's limit.
    func plan(for request: Request) -> RequestPlan
}

/// Why the server answered a request without calling `respond`.
public enum Rejection: Error, Sendable, Equatable {
    /// More connections than the configured cap.
    case overloaded
    /// The body is larger than the configured limit.
    case bodyTooLarge
    /// The bytes received differ from CONTENT_LENGTH.
    case bodyLengthMismatch
    /// The body could not be spooled (disk full, no permission).
    case spoolFailed
    /// More params (HTTP headers) than the server takes, by count or by size.
    case headersTooLarge
}

extension Responder {
    public func bodyReceiver(for request: Request) -> (any BodyReceiver)? { nil }

    public func answersInline(_ request: Request) -> Bool { false }

    public func plan(for request: Request) -> RequestPlan { RequestPlan(answersInline: answersInline(request)) }

    public func reject(_ request: Request, because reason: Rejection) -> Response {
        let (status, text): (Int, String) = switch reason {
        case .overloaded: (503, "Service Unavailable")
        case .bodyTooLarge: (413, "Payload Too Large")
        case .bodyLengthMismatch: (400, "Body Length Mismatch")
        case .spoolFailed: (500, "Internal Server Error")
        case .headersTooLarge: (431, "Request Header Fields Too Large")
        }
        return Response(status: status, contentType: "text/plain; charset=utf-8", body: Array((text + "\n").utf8))
    }
}
