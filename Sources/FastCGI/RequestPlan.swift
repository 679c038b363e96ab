/// How the server takes one request, decided by the responder from its params before any of its
/// body is read (`Responder.plan(for:)`): the route's own body limit is then known while the body
/// arrives, so a body too large for its route is refused without being stored.
public struct RequestPlan: Sendable {
    /// Answer on the event loop's thread (see `Responder.answersInline`).
    public var answersInline: Bool
    /// The largest body this request may carry; nil for the server's limit (`maxBodyBytes`), which
    /// caps this one too. A larger body is answered 413 (`Rejection.bodyTooLarge`) from its
    /// CONTENT_LENGTH, or as soon as the bytes received pass it, with nothing stored.
    public var maxBodyBytes: Int?
    /// An answer decided from the params alone (no such route, uploads paused): the body is read
    /// and dropped, never stored, `respond` is not called, and this is sent once the body has ended.
    public var answer: Response?

    public init(answersInline: Bool = false, maxBodyBytes: Int? = nil, answer: Response? = nil) {
        self.answersInline = answersInline
        self.maxBodyBytes = maxBodyBytes
        self.answer = answer
    }
}
