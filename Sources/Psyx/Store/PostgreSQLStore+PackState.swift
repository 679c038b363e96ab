/// Open and closed packs: start matches participants to open packs only (`suitablePack`).
extension PostgreSQLStore {
    /// In one transaction: the pack's row locked, the overlap check when opening (naming the open
    /// pack in the way), the update. The exclusion constraint refuses an open that a concurrent
    /// create or open beat to the commit: it runs again and names that pack. The pack cache is
    /// emptied after it here, and on every other responder by the schema's notification.
    public func setPackOpen(id: Int64, open: Bool) throws -> PackSummary? {
        defer { packCache.invalidate() }
        var attempts = 0
        while true {
            do {
                let (summary, changed) = try pool.transaction(.readCommitted, retryingConflicts: true) { db -> (PackSummary?, Bool) in
                    let row = try db.execute("SELECT \(Self.summaryColumns) FROM packs WHERE p_id = $1 FOR UPDATE", [id]).first
                    guard var summary = try row.map(Self.summary(from:)) else { return (nil, false) }
                    guard summary.open != open else { return (summary, false) }
                    if open, let other = try Self.openPackOverlapping(sex: summary.sex, ageMin: summary.ageMin,
                                                                     ageMax: summary.ageMax, excluding: id, in: db) {
                        throw StoreError.conditionOverlap(with: other)
                    }
                    try db.execute("UPDATE packs SET open = $2 WHERE p_id = $1", [id, open])
                    summary.open = open
                    return (summary, true)
                }
                if changed { changes.noteOwnCommit() }
                return summary
            } catch let error as PostgreSQLError where error.constraint == "packs_open_do_not_overlap" && attempts < 5 {
                attempts += 1
            } catch let error as PostgreSQLError {
                throw error.storeError
            }
        }
    }
}
