import FastCGI

/// The HTTP view of a FastCGI request, as handlers need it.
public struct HTTPRequest: Sendable {
    public let raw: Request
    /// A short random id that ties a response to its log line.
    public let id: String
    public let method: String
    /// The path without the query string (DOCUMENT_URI as Nginx decoded it, else REQUEST_URI).
    public let path: String
    public let query: [String: String]

    public init(_ raw: Request, id: String) {
        self.raw = raw
        self.id = id
        (method, path) = Self.methodAndPath(of: raw)
        query = QueryString.parse(raw.params["QUERY_STRING"] ?? "")
    }

    /// What routing needs, without the rest of the view.
    public static func methodAndPath(of raw: Request) -> (method: String, path: String) {
        let method = raw.params["REQUEST_METHOD"] ?? "GET"
        if let documentURI = raw.params["DOCUMENT_URI"], !documentURI.isEmpty {
            return (method, documentURI)
        }
        let uri = raw.params["REQUEST_URI"] ?? "/"
        // Bytes, not Characters: a `?` followed by a combining mark still starts the query.
        return (method, String(decoding: uri.utf8.prefix { $0 != UInt8(ascii: "?") }, as: UTF8.self))
    }

    public var body: RequestBody { raw.body }

    /// A request header, by its HTTP name (`Sec-Fetch-Site` → HTTP_SEC_FETCH_SITE).
    public func header(_ name: String) -> String? {
        let key = "HTTP_" + name.uppercased().replacingOccurrences(of: "-", with: "_")
        return raw.params[key]
    }

    public var contentType: String { raw.params["CONTENT_TYPE"] ?? "" }

    /// The user Nginx authenticated with basic auth; nil when none.
    public var remoteUser: String? {
        guard let user = raw.params["REMOTE_USER"], !user.isEmpty else { return nil }
        return user
    }

    /// The client's address: X-Real-IP when Nginx sets it, else REMOTE_ADDR.
    public var clientAddress: String {
        if let real = raw.params["HTTP_X_REAL_IP"], !real.isEmpty { return real }
        return raw.params["REMOTE_ADDR"] ?? "-"
    }
}
