/// A complete FastCGI responder request: its CGI params and its body.
public struct Request: Sendable {
    /// The FastCGI request id (Nginx always uses 1).
    public var id: UInt16
    /// CGI/1.1 variables as sent by the web server (REQUEST_METHOD, HTTP_*, ...).
    public var params: Params
    /// The STDIN stream, in memory when small, spooled to a file when large.
    public var body: RequestBody
    /// FCGI_KEEP_CONN: whether the web server wants the connection kept after the response.
    public var keepConnection: Bool

    public init(id: UInt16 = 1, params: Params, body: RequestBody = RequestBody(), keepConnection: Bool = false) {
        self.id = id
        self.params = params
        self.body = body
        self.keepConnection = keepConnection
    }

    public subscript(param name: String) -> String? { params[name] }
}
