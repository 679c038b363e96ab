/// Who may call a route, decided in the responder so that a mistaken Nginx config cannot open admin routes.
enum AccessPolicy {
    static func check(_ route: Route, _ request: HTTPRequest) throws(APIError) {
        guard route.access == .admin else { return }
        guard request.remoteUser != nil else { throw .forbidden("Authentication required.") }
        if route.changesState && isCrossSite(request) {
            throw .forbidden("Cross-site requests to this route are refused.")
        }
    }

    /// A browser tells where a request comes from; curl and scripts send neither header.
    /// A browser's own `Sec-Fetch-Site` is trusted first (a page cannot forge it); without it the
    /// `Origin` must name the host the request was sent to (Nginx passes the Host with its port).
    static func isCrossSite(_ request: HTTPRequest) -> Bool {
        switch request.header("Sec-Fetch-Site")?.lowercased() {
        case "cross-site": return true
        case "same-origin", "none": return false
        default: break
        }
        guard let origin = request.header("Origin"), !origin.isEmpty else { return false }
        if origin == "null" { return true }
        guard let host = request.header("Host") else { return true }
        let originHost = origin.split(separator: "/", omittingEmptySubsequences: true).dropFirst().first.map(String.init) ?? ""
        return originHost.lowercased() != host.lowercased()
    }
}
