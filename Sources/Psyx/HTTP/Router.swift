/// Exact method + path routing; the API has a handful of fixed paths, no patterns — and one
/// folder (`/packs/`, on PostgreSQL) whose paths all go to one route (`addFolder`).
public struct Router: Sendable {
    private var routes: [String: [Route]] = [:]
    private var folders: [Route] = []

    /// `route.path` ends in "/" and the route answers every path below it.
    public mutating func addFolder(_ route: Route) {
        folders.append(route)
    }

    public init() {}

    public mutating func add(_ route: Route) {
        routes[route.path, default: []].append(route)
    }

    /// The route for a request, or the protocol-level error: 404 unknown path, 405 wrong method.
    public func match(method: String, path: String) throws(APIError) -> Route {
        guard let candidates = routes[path] ?? folder(holding: path) else { throw .notFound }
        let effective = method == "HEAD" ? "GET" : method
        if let route = candidates.first(where: { $0.methods.contains(effective) }) { return route }
        throw .methodNotAllowed(allowed: candidates.flatMap(\.methods))
    }

    private func folder(holding path: String) -> [Route]? {
        let matching = folders.filter { path.hasPrefix($0.path) && path.count > $0.path.count }
        return matching.isEmpty ? nil : matching
    }

    public var paths: [String] { routes.keys.sorted() }
}
