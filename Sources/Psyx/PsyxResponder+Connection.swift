import FastCGI

/// How the FastCGI server takes each request, decided from its params alone:
/// on the event loop or a worker thread, its body collected or streamed.
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

    /// The matched route's own say; a request that matches no route is answered 404/405 at once.
    public func answersInline(_ request: Request) -> Bool {
        let (method, path) = HTTPRequest.methodAndPath(of: request)
        guard let route = try? router.match(method: method, path: path) else { return true }
        return route.answersInline
    }
}
