/// Exact method + path routing; the API has a handful of fixed paths, no patterns.
public struct Router: Sendable {
    private var routes: [String: [Route]] = [:]

    public init() {}

    public mutating func add(_ route: Route) {
        routes[route.path, default: []].append(route)
    }

    /// The route for a request, or the protocol-level error: 404 unknown path, 405 wrong method.
    public func match(method: String, path: String) throws(APIError) -> Route {
        guard let candidates = routes[path] else { throw .notFound }
        let effective = method == "HEAD" ? "GET" : method
        if let route = candidates.first(where: { $0.methods.contains(effective) }) { return route }
        throw .methodNotAllowed(allowed: candidates.flatMap(\.methods))
    }

    public var paths: [String] { routes.keys.sorted() }
}
