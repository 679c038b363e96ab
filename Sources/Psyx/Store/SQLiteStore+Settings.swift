/// Per-pack settings, packs by name, and what a stored reply says for its completion link.
extension SQLiteStore {
    /// In one write transaction: the pack's summary (with its reply count), the frozen-fields rule,
    /// the update. The pack cache is emptied after it, so the next start already has the new settings.
    public func setPackSettings(id: Int64, _ change: PackSettingsChange) throws -> PackSummary? {
        defer { packCache.invalidate() }
        return try withWriter { db in
            try db.transaction(.immediate) {
                guard var summary = try Self.loadSummary(id: id, from: db) else { return nil }
                let settings = change.applied(to: summary.settings)
                guard settings != summary.settings else { return summary }
                if summary.replyCount > 0 && !settings.sameTask(as: summary.settings) {
                    throw StoreError.packHasReplies
                }
                try db.run("UPDATE packs SET settings = ?2 WHERE p_id = ?1") { statement in
                    try statement.bind(id, at: 1)
                    try statement.bind(settings.storedJSON, at: 2)
                }
                summary.settings = settings
                return summary
            }
        }
    }

    public func pack(named name: String) throws -> Pack? {
        if let known = packCache.packID(named: name) {
            guard let known else { return nil }
            return try pack(id: known)
        }
        let generation = packCache.generation
        let id = try withReader { db in
            try db.int64("SELECT p_id FROM packs WHERE pack_name = ?1") { try $0.bind(name, at: 1) }
        }
        packCache.storeNamed(id, name: name, readAt: generation)
        guard let id else { return nil }
        return try pack(id: id)
    }

    public func submittedReply(submissionID: String) throws -> (packID: Int64, recruitment: String)? {
        try withReader { db in
            try db.withStatement("SELECT p_id, recruitment FROM replies WHERE submission_id = ?1") { statement in
                try statement.bind(submissionID, at: 1)
                return try statement.step() ? (statement.int64(at: 0), statement.text(at: 1)) : nil
            }
        }
    }
}
