import FastCGI

extension PsyxResponder {
    /// The matched route's receiver, so an upload is staged while Nginx sends it. Only for a
    /// request that may reach the route: a refused one is collected as usual and answered by
    /// `respond`, which checks everything again.
    public func bodyReceiver(for request: Request) -> (any BodyReceiver)? {
        let http = HTTPRequest(request, id: "")
        guard let route = try? router.match(method: http.method, path: http.path),
              let makeReceiver = route.bodyReceiver else { return nil }
        do { try AccessPolicy.check(route, http) } catch { return nil }
        return makeReceiver(http)
    }
}
