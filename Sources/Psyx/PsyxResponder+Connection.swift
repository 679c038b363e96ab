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

    /// The matched route's own say on the event loop and its body limit, so a body too large for
    /// its route is refused (413) before any of it is stored. No route (404/405), or a route whose
    /// `beforeBody` check refuses, is answered from the params alone: the body is never stored.
    /// One route lookup, as `answersInline` had: this is asked for every request on the loop.
    public func plan(for request: Request) -> RequestPlan {
        let (method, path) = HTTPRequest.methodAndPath(of: request)
        let route: Route
        do { route = try router.match(method: method, path: path) } catch {
            return RequestPlan(answer: answer(request, with: error))
        }
        var plan = RequestPlan(answersInline: route.answersInline, maxBodyBytes: route.maxBodyBytes)
        if let check = route.beforeBody {
            do {
                try AccessPolicy.check(route, HTTPRequest(request, id: ""))
                try check()
            } catch {
                plan.answer = answer(request, with: error)
            }
        }
        return plan
    }
}
