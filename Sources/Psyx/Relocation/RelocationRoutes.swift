import FastCGI
import Foundation

/// `POST /post_sentence` and `POST /update_sentence` (RELOCATION.md), for the content server's
/// clients. They are open to everyone as far as the responder is concerned: Nginx lets only the
/// internal network reach them.
struct RelocationRoutes: Sendable {
    let store: any RelocationStore
    /// Unix seconds now (a parameter so tests can move time).
    let clock: @Sendable () -> Double

    init(store: any RelocationStore, clock: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }) {
        self.store = store
        self.clock = clock
    }

    func register(in router: inout Router) {
        router.add(Route(["POST"], "/post_sentence") { try post($0) })
        router.add(Route(["POST"], "/update_sentence") { try update($0) })
    }

    /// Answers the job as stored: `{"cid": "7", "count": "1964", …, "status": "update"}`.
    func post(_ request: HTTPRequest) throws -> Response {
        let form = try RelocationForm(request)
        let cid = try form.number("cid")
        let count = try form.number("count")
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

    /// The caller's mistakes become 400s; anything else from the store is the server's (a 500).
    private func storeCall<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as RelocationError {
            throw APIError.badRequest(error.description)
        } catch {
            throw APIError.internalError(cause: "relocation store: \(error)")
        }
    }
}
