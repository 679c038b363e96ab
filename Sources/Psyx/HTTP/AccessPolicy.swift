/// Who may call a route, decided in the responder so that a mistaken Nginx config cannot open admin
/// or internal routes.
enum AccessPolicy {
    static func check(_ route: Route, _ request: HTTPRequest) throws(APIError) {
        switch route.access {
        case .everyone:
            return
        case .admin:
            guard request.remoteUser != nil else { throw .forbidden("Authentication required.") }
        case .keyHolder(let key):
            guard let key else {
                throw .forbidden("This route is closed: the server has no relocation key (PSYX_RELOCATION_KEY_FILE).")
            }
            guard key.matches(request.header(SharedKey.header)) else {
                throw .forbidden("This route needs the \(SharedKey.header) header.")
            }
        }
        guard route.changesState else { return }
        if isCrossSite(request) { throw .forbidden("Cross-site requests to this route are refused.") }
        if request.method == "GET" && isFromBrowser(request) {
            throw .forbidden("A browser must send this request with POST, as the admin page does.")
        }
    }

    /// Browsers send basic-auth credentials by themselves, so a page elsewhere could act through a
    /// logged-in admin. A browser's own `Sec-Fetch-Site` is trusted first (a page cannot forge it):
    /// only `same-origin` and `none` (typed by the user) pass — `same-site` is a sibling subdomain.
    /// Without it, `Origin` and then `Referer` (older browsers) must name the host the request was
    /// sent to (Nginx passes the Host with its port). curl and scripts send none of these.
    static func isCrossSite(_ request: HTTPRequest) -> Bool {
        if let site = request.header("Sec-Fetch-Site"), !site.isEmpty {
            let value = site.lowercased()
            return value != "same-origin" && value != "none"
        }
        for name in ["Origin", "Referer"] {
            guard let source = request.header(name), !source.isEmpty else { continue }
            if source == "null" { return true }
            guard let host = request.header("Host") else { return true }
            return hostPart(of: source) != host.lowercased()
        }
        return false
    }

    /// Whether a browser sent the request: only browsers send fetch metadata, `Origin` or
    /// `Referer`. A GET that changes state stays for old scripts only; from a browser it could be
    /// an image or a link on any page of the site.
    static func isFromBrowser(_ request: HTTPRequest) -> Bool {
        ["Sec-Fetch-Site", "Sec-Fetch-Mode", "Sec-Fetch-Dest", "Origin", "Referer"].contains {
            !(request.header($0) ?? "").isEmpty
        }
    }

    /// `host:port` of an absolute URL (`https://psyx.lab:8080/admin/` → `psyx.lab:8080`), lowercased.
    private static func hostPart(of url: String) -> String {
        guard let scheme = url.range(of: "://") else { return "" }
        let rest = url[scheme.upperBound...]
        return String(rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }).lowercased()
    }
}
