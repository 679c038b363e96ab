/// Per-pack settings, packs by name, and what a stored reply says for its completion link.
extension PostgreSQLStore {
    /// In one transaction: the pack's row locked (a reply's count update waits for it), the
    /// frozen-fields rule on its reply count, the update. The pack cache is emptied after it here,
    /// and on every other responder by the schema's notification (a settings change is a pack change).
    public func setPackSettings(id: Int64, _ change: PackSettingsChange) throws -> PackSummary? {
        defer { packCache.invalidate() }
        let (summary, changed) = try Self.mappingErrors {
            try pool.transaction(.readCommitted, retryingConflicts: true) { db -> (PackSummary?, Bool) in
                let row = try db.execute("SELECT \(Self.summaryColumns) FROM packs WHERE p_id = $1 FOR UPDATE", [id]).first
                guard var summary = try row.map(Self.summary(from:)) else { return (nil, false) }
                let settings = change.applied(to: summary.settings)
                guard settings != summary.settings else { return (summary, false) }
                if summary.replyCount > 0 && !settings.sameTask(as: summary.settings) {
                    throw StoreError.packHasReplies
                }
                try db.execute("UPDATE packs SET settings = $2 WHERE p_id = $1", [id, settings.storedJSON])
                summary.settings = settings
                return (summary, true)
            }
        }
        if changed { changes.noteOwnCommit() }
        return summary
    }

    /// From the cache while the change feed is live, as `suitablePack`.
    public func pack(named name: String) throws -> Pack? {
        let live = changes.isLive
        if live, let known = packCache.packID(named: name) {
            guard let known else { return nil }
            return try pack(id: known)
        }
        let generation = packCache.generation
        let id = try read { db in try db.execute("SELECT p_id FROM packs WHERE pack_name = $1", [name]).first?.int64(0) }
        if live { packCache.storeNamed(id, name: name, readAt: generation) }
        guard let id else { return nil }
        return try pack(id: id)
    }

    public func submittedReply(submissionID: String) throws -> (packID: Int64, recruitment: String)? {
        try read { db in
            guard let row = try db.execute("SELECT p_id, recruitment FROM replies WHERE submission_id = $1", [submissionID]).first else {
                return nil
            }
            return (try row.int64(0), try row.text(1))
        }
    }
}
