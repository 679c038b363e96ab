import FastCGI

/// `GET /api/health` (spec §3.3): proves the database answers; reveals no data. A database server
/// that cannot be reached (PostgreSQL) is a 503 saying so, the details in the log; any other failure
/// a 500.
struct HealthRoutes {
    let ping: @Sendable () throws -> Void
    let counters: ConnectionCounters

    func register(in router: inout Router) {
        router.add(Route(["GET"], "/api/health", answersInline: true) { _ in
            do { try ping() } catch let error as StoreError where error.isUnavailable {
                throw APIError.databaseUnavailable(cause: "health: database unreachable: \(error)")
            } catch {
                throw APIError.internalError(cause: "health: database did not answer: \(error)")
            }
            var body = Array(#"{"status":"ok","connections":{"accepted":"#.utf8)
            JSONText.appendInteger(counters.accepted, to: &body)
            body.append(contentsOf: #","open":"#.utf8)
            JSONText.appendInteger(counters.open, to: &body)
            body.append(contentsOf: #","rejected":"#.utf8)
            JSONText.appendInteger(counters.rejected, to: &body)
            body.append(contentsOf: "}}".utf8)
            return .json(body)
        })
    }
}
