/// What is known of a request once its PARAMS stream has ended: enough to route
/// it before any of its body has arrived.
public struct RequestHead: Equatable, Sendable {
    /// The FastCGI request id, repeated in every record of the response.
    public var id: UInt16
    /// CGI/1.1 variables; when a name is sent twice, the last value wins.
    public var params: Params
    /// FCGI_KEEP_CONN: whether the web server wants the connection kept after the response.
    public var keepConnection: Bool

    public init(id: UInt16, params: Params, keepConnection: Bool) {
        self.id = id
        self.params = params
        self.keepConnection = keepConnection
    }
}
