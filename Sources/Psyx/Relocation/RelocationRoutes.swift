import FastCGI
import Foundation

/// `POST /post_sentence` and `POST /update_sentence` (RELOCATION.md), for the content server's
/// clients. Nginx lets only the internal network reach them, and the responder itself wants the
/// deployment's shared key (`SharedKey`): behind a TLS proxy on the same host every client looks
/// internal to Nginx. Browser form posts are refused like the admin routes' (`AccessPolicy`).
struct RelocationRoutes: Sendable {
    /// The largest `count` taken. A count above the top level raises that level's `max_counts` for
    /// good, so an absurd one (2^63 - 1) would leave no room for a level above it.
    static let maxCount: Int64 = 1_000_000_000_000

    let store: any RelocationStore
    let key: SharedKey?
    /// Unix seconds now (a parameter so tests can move time).
    let clock: @Sendable () -> Double

    init(store: any RelocationStore, key: SharedKey?, clock: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }) {
        self.store = store
        self.key = key
        self.clock = clock
    }

    func register(in router: inout Router) {
        router.add(Route(["POST"], "/post_sentence", access: .keyHolder(key), changesState: true) { try post($0) })
        router.add(Route(["POST"], "/update_sentence", access: .keyHolder(key), changesState: true) { try update($0) })
    }

    /// Answers the job as stored: `{"cid": "7", "count": "1964", …, "status": "update"}`.
    func post(_ request: HTTPRequest) throws -> Response {
        let form = try RelocationForm(request)
        let cid = try form.number("cid")
        let count = try form.number("count", atMost: Self.maxCount)
        let job = try storeCall { try store.post(cid: cid, count: count, now: clock()) }
        return .json(job.json)
    }

    /// Answers the cid when the job was done and is now committed, else `check your status again`.
    func update(_ request: HTTPRequest) throws -> Response {
        let form = try RelocationForm(request)
        let cid = try form.number("cid")
        let committed = try storeCall { try store.commit(cid: cid, now: clock()) }
        return .text(committed ? String(cid) : "check your status again")
    }

    /// The caller's mistakes become 400s; a database that cannot be reached just now goes on to the
    /// responder as it is (a 503 the client retries, as for the experiment's routes); anything else
    /// from the store is the server's (a 500).
    private func storeCall<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as RelocationError {
            throw APIError.badRequest(error.description)
        } catch let error as StoreError where error.isUnavailable {
            throw error
        } catch {
            throw APIError.internalError(cause: "relocation store: \(error)")
        }
    }
}
