import FastCGI

/// Closing and opening packs (admin): a closed pack gets no new participant at start; those who
/// started it before may still submit (submit never asks whether the pack is open).
extension ExperimentRoutes {
    /// `POST /api/admin/close?id=N` → `Pack N Closed.`; `/open` → `Pack N Opened.`. Unknown id:
    /// `Unknown Pack N`; opening a pack that overlaps an open one: `Pack Condition Overlapped: …`.
    func setOpen(_ request: HTTPRequest, open: Bool) throws -> Response {
        let raw = request.query["id"] ?? ""
        guard let id = Int64(raw), id > 0 else { throw APIError.badRequest(Self.sentence("Unknown Pack", raw)) }
        let changed: PackSummary?
        do {
            changed = try store.setPackOpen(id: id, open: open)
        } catch StoreError.conditionOverlap(let other) {
            throw APIError.badRequest(Self.overlapSentence(other))
        }
        guard changed != nil else { throw APIError.badRequest(Self.sentence("Unknown Pack", raw)) }
        return .text("Pack \(id) \(open ? "Opened" : "Closed").")
    }
}
