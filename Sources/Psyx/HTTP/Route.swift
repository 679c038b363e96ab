import FastCGI

/// One route: which methods and path it answers, who may call it, and its handler.
public struct Route: Sendable {
    /// Who may reach a route; checked by the responder itself, so a mistaken Nginx config cannot open it.
    public enum Access: Sendable {
        case everyone
        /// Needs REMOTE_USER from Nginx's basic auth.
        case admin
    }

    public typealias Handler = @Sendable (HTTPRequest) throws -> Response

    public var methods: [String]
    public var path: String
    public var access: Access
    /// State-changing admin routes refuse cross-site browser requests.
    public var changesState: Bool
    public var handler: Handler

    public init(_ methods: [String], _ path: String, access: Access = .everyone, changesState: Bool = false, handler: @escaping Handler) {
        self.methods = methods
        self.path = path
        self.access = access
        self.changesState = changesState
        self.handler = handler
    }
}
