import FastCGI

/// One route: which methods and path it answers, who may call it, and its handler.
public struct Route: Sendable {
    /// Who may reach a route; checked by the responder itself, so a mistaken Nginx config cannot open it.
    public enum Access: Sendable {
        case everyone
        /// Needs REMOTE_USER from Nginx's basic auth.
        case admin
        /// Internal callers (the relocation API): the request must carry the deployment's shared
        /// key (`SharedKey.header`); with no key configured the route is closed.
        case keyHolder(SharedKey?)
    }

    public typealias Handler = @Sendable (HTTPRequest) throws -> Response

    public var methods: [String]
    public var path: String
    public var access: Access
    /// State-changing routes refuse cross-site browser requests (and GET from browsers).
    public var changesState: Bool
    public var handler: Handler
    /// Takes the body while it arrives (large uploads), asked once the params are in and access
    /// is granted; nil, or a nil receiver, has the server collect the body for `handler` first.
    public var bodyReceiver: (@Sendable (HTTPRequest) -> (any BodyReceiver)?)?
    /// The handler answers in microseconds from memory or a quick read and never waits for a
    /// disk sync, so the FastCGI event loop may run it on its own thread (`Responder.answersInline`).
    public var answersInline: Bool
    /// The largest body the route takes: the server refuses a larger one with 413 before storing
    /// any of it (`RequestPlan.maxBodyBytes`). nil leaves the server's own limit (PSYX_MAX_BODY),
    /// which only an upload needs.
    public var maxBodyBytes: Int?
    /// Checked once the params are in and access is granted, before any of the body is read: what
    /// it throws is the answer, and the body is dropped unstored (uploads while the disk is low).
    public var beforeBody: (@Sendable () throws(APIError) -> Void)?

    /// Enough for any form or JSON object a route without its own limit takes.
    public static let defaultMaxBodyBytes = 64 * 1024

    public init(_ methods: [String], _ path: String, access: Access = .everyone, changesState: Bool = false,
                answersInline: Bool = false, maxBodyBytes: Int? = Route.defaultMaxBodyBytes, handler: @escaping Handler) {
        self.methods = methods
        self.path = path
        self.access = access
        self.changesState = changesState
        self.answersInline = answersInline
        self.maxBodyBytes = maxBodyBytes
        self.handler = handler
    }
}
