import FastCGI

/// `GET /api/health` (spec §3.3): proves the database answers; reveals no data.
struct HealthRoutes {
    let ping: @Sendable () throws -> Void
    let counters: ConnectionCounters

    func register(in router: inout Router) {
        router.add(Route(["GET"], "/api/health", answersInline: true) { _ in
            do { try ping() } catch { throw APIError.internalError(cause: "health: database did not answer: \(error)") }
            let body = """
            {"status":"ok","connections":{"accepted":\(counters.accepted),"open":\(counters.open),"rejected":\(counters.rejected)}}
            """
            return .json(body)
        })
    }
}
