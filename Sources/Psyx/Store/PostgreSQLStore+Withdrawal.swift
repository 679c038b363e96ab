/// Withdrawal: deleting one reply, or every reply of a participant number, in one transaction.
extension PostgreSQLStore {
    public func replies(matching selector: ReplySelector) throws -> Withdrawal {
        try read { db in
            try Self.withdrawal(db.execute("""
                SELECT p_id, (SELECT pack_name FROM packs WHERE packs.p_id = replies.p_id), count(*)
                FROM replies WHERE \(Self.condition(selector)) GROUP BY p_id ORDER BY p_id
                """, [Self.parameter(selector)]))
        }
    }

    /// The deletion says what it deleted (`RETURNING`), so what `beforeCommit` is shown is exactly
    /// what goes, whatever commits meanwhile; the schema's trigger moves each pack's `reply_count`
    /// and `replies_deleted` and `reply_ids.high`. The participant index forgets the packs touched,
    /// here at once and on every other responder by the schema's notification. Never repeated once
    /// `beforeCommit` ran.
    public func withdrawReplies(_ selector: ReplySelector, beforeCommit: (Withdrawal) throws -> Void) throws -> Withdrawal {
        var attempts = 0
        while true {
            var handedOver = false
            do {
                let withdrawal = try pool.withConnection { connection in
                    try connection.transaction(.readCommitted) { db in
                        let withdrawal = try Self.withdrawal(db.execute("""
                            WITH deleted AS (DELETE FROM replies WHERE \(Self.condition(selector)) RETURNING p_id)
                            SELECT d.p_id, p.pack_name, count(*) FROM deleted d JOIN packs p ON p.p_id = d.p_id
                            GROUP BY d.p_id, p.pack_name ORDER BY d.p_id
                            """, [Self.parameter(selector)]))
                        guard withdrawal.count > 0 else { return withdrawal }
                        handedOver = true
                        try beforeCommit(withdrawal)
                        return withdrawal
                    }
                }
                for part in withdrawal.parts { participants.remove(packID: part.packID) }
                if withdrawal.count > 0 { changes.noteOwnCommit() }
                return withdrawal
            } catch let error as PostgreSQLError {
                if !handedOver && attempts < 5 && (error.isSerializationFailure || (error.isConnectionLost && error.kind != .commitUnknown)) {
                    attempts += 1
                    continue
                }
                throw error.storeError
            }
        }
    }

    public func replyState(packID: Int64) throws -> ReplyState {
        try read { db in
            guard let row = try db.execute("SELECT reply_count, replies_deleted FROM packs WHERE p_id = $1", [packID]).first else {
                return ReplyState(count: 0, deleted: 0)
            }
            return ReplyState(count: Int(try row.int64(0)), deleted: Int(try row.int64(1)))
        }
    }

    /// Rows of (p_id, pack name, count), by p_id.
    private static func withdrawal(_ result: PostgreSQLResult) throws -> Withdrawal {
        Withdrawal(parts: try result.rows.map { row in
            Withdrawal.Part(packID: try row.int64(0), packName: try row.text(1), count: Int(try row.int64(2)))
        })
    }

    /// The replies' WHERE clause, with the selector as `$1`. A number matches case-folded (by the
    /// index on `no_folded`, compared in its collation), and also the case duplicates kept from
    /// before SQLite's version 3, whose `no_folded` is NULL.
    private static func condition(_ selector: ReplySelector) -> String {
        switch selector {
        case .reply: "r_id = $1::bigint"
        case .participant:
            #"(no_folded = (lower($1::text COLLATE "C") COLLATE "default") "#
                + #"OR (no_folded IS NULL AND lower(no COLLATE "C") = lower($1::text COLLATE "C")))"#
        }
    }

    private static func parameter(_ selector: ReplySelector) -> any PostgreSQLParameter {
        switch selector {
        case .reply(let id): id
        case .participant(let no): no
        }
    }
}
