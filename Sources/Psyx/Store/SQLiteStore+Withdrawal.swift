/// Withdrawal: deleting one reply, or every reply of a participant number, in one transaction.
extension SQLiteStore {
    public func replies(matching selector: ReplySelector) throws -> Withdrawal {
        try withReader { db in try Self.withdrawal(selector, in: db) }
    }

    /// Counts and deletes inside one write transaction, so what `beforeCommit` is shown is exactly
    /// what goes; the schema's trigger moves each pack's `reply_count` and `replies_deleted`. The
    /// participant index forgets the packs touched, so `start` reads again who has replied.
    public func withdrawReplies(_ selector: ReplySelector, beforeCommit: (Withdrawal) throws -> Void) throws -> Withdrawal {
        let withdrawal = try withWriter { db in
            try db.transaction(.immediate) {
                let withdrawal = try Self.withdrawal(selector, in: db)
                guard withdrawal.count > 0 else { return withdrawal }
                let deleted = try db.run("DELETE FROM replies WHERE \(Self.condition(selector))") { statement in
                    try Self.bind(selector, to: statement)
                }
                guard deleted == withdrawal.count else {
                    throw StoreError.failure("withdrawal counted \(withdrawal.count) replies but deleted \(deleted)")
                }
                try beforeCommit(withdrawal)
                return withdrawal
            }
        }
        for part in withdrawal.parts {
            participants.remove(packID: part.packID)
        }
        return withdrawal
    }

    public func replyState(packID: Int64) throws -> ReplyState {
        try withReader { db in
            try db.withStatement("SELECT reply_count, replies_deleted FROM packs WHERE p_id = ?1") { statement in
                try statement.bind(packID, at: 1)
                guard try statement.step() else { return ReplyState(count: 0, deleted: 0) }
                return ReplyState(count: statement.int(at: 0), deleted: statement.int(at: 1))
            }
        }
    }

    /// The selected replies counted per pack, by `p_id`.
    private static func withdrawal(_ selector: ReplySelector, in db: SQLiteDatabase) throws -> Withdrawal {
        try db.withStatement(
            """
            SELECT p_id, (SELECT pack_name FROM packs WHERE packs.p_id = replies.p_id), count(*)
            FROM replies WHERE \(condition(selector)) GROUP BY p_id ORDER BY p_id
            """
        ) { statement in
            try bind(selector, to: statement)
            var parts: [Withdrawal.Part] = []
            while try statement.step() {
                parts.append(Withdrawal.Part(packID: statement.int64(at: 0), packName: statement.text(at: 1),
                                             count: statement.int(at: 2)))
            }
            return Withdrawal(parts: parts)
        }
    }

    /// The replies' WHERE clause, with the selector as `?1`. A number matches case-folded (the
    /// unique index's `no_folded`), and also the case duplicates kept from before schema version 3,
    /// whose `no_folded` is NULL.
    private static func condition(_ selector: ReplySelector) -> String {
        switch selector {
        case .reply: "r_id = ?1"
        case .participant: "(no_folded = lower(?1) OR (no_folded IS NULL AND lower(no) = lower(?1)))"
        }
    }

    private static func bind(_ selector: ReplySelector, to statement: SQLiteStatement) throws {
        switch selector {
        case .reply(let id): try statement.bind(id, at: 1)
        case .participant(let no): try statement.bind(no, at: 1)
        }
    }
}
