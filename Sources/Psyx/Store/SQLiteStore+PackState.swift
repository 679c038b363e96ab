/// Open and closed packs: start matches participants to open packs only (`suitablePack`).
extension SQLiteStore {
    /// In one write transaction: the pack's summary, the overlap check when opening (naming the open
    /// pack in the way, before the schema's trigger would refuse it unnamed), the update. The pack
    /// cache is emptied after it, so the next start already sees the new state.
    public func setPackOpen(id: Int64, open: Bool) throws -> PackSummary? {
        defer { packCache.invalidate() }
        return try withWriter { db in
            try db.transaction(.immediate) {
                guard var summary = try Self.loadSummary(id: id, from: db) else { return nil }
                guard summary.open != open else { return summary }
                if open, let other = try Self.openPackOverlapping(sex: summary.sex, ageMin: summary.ageMin,
                                                                  ageMax: summary.ageMax, excluding: id, in: db) {
                    throw StoreError.conditionOverlap(with: other)
                }
                try db.run("UPDATE packs SET open = ?2 WHERE p_id = ?1") { statement in
                    try statement.bind(id, at: 1)
                    try statement.bind(open ? 1 : 0, at: 2)
                }
                summary.open = open
                return summary
            }
        }
    }
}
