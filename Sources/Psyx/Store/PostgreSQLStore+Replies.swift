/// Replies: durable inserts through group commit, participation checks, streaming for download.
extension PostgreSQLStore {
    public func insertReply(_ reply: NewReply) throws -> ReplyInsertOutcome {
        let outcome = try replyCommits.submit(reply) { batch in commitReplies(batch) }
        participants.note(outcome, for: reply)
        return outcome
    }

    /// From `participants` while the change feed is live and the pack's numbers are loaded (one query
    /// per pack); numbers compared case-folded, as the unique index compares them.
    public func hasReply(packID: Int64, participantNo: String) throws -> Bool {
        try participants.hasReplied(packID: packID, no: participantNo, trusted: changes.isLive) {
            try read { db in
                Set(try db.execute(#"SELECT lower(no COLLATE "C") FROM replies WHERE p_id = $1"#, [packID]).rows.map { try $0.text(0) })
            }
        }
    }

    public func replyCount(packID: Int64) throws -> Int {
        try read { db in Int(try db.execute("SELECT reply_count FROM packs WHERE p_id = $1", [packID]).first?.int64(0) ?? 0) }
    }

    /// Writes one batch of replies in one durable transaction and returns one result per reply.
    /// Replies go in by pack id (each pack's in submission order), so concurrent batches of several
    /// responders lock pack rows (their reply counts) in one order and never deadlock. Outcomes
    /// come from the statement (`insert`), never from an error, so one refused reply leaves the
    /// others' transaction intact; should a reply still fail the batch (a value PostgreSQL cannot
    /// store), each reply is committed on its own so that only that one fails.
    func commitReplies(_ batch: [NewReply]) -> [Result<ReplyInsertOutcome, any Error>] {
        let order = batch.indices.sorted { (batch[$0].packID, $0) < (batch[$1].packID, $1) }
        do {
            let outcomes = try pool.transaction(.readCommitted, retryingConflicts: true) { db in
                let results = try db.pipeline(order.map { (Self.insertSQL, Self.insertParameters(batch[$0])) })
                var outcomes = [ReplyInsertOutcome](repeating: .unknownPack, count: batch.count)
                for (result, index) in zip(results, order) {
                    outcomes[index] = try Self.outcome(of: result, for: batch[index], in: db)
                }
                return outcomes
            }
            if outcomes.contains(where: { if case .inserted = $0 { true } else { false } }) { changes.noteOwnCommit() }
            return outcomes.map { .success($0) }
        } catch let error as PostgreSQLError where batch.count > 1 && (error.kind == .server || error.kind == .invalidParameter) {
            return batch.map { reply in commitReplies([reply])[0] }
        } catch let error as PostgreSQLError {
            return Array(repeating: .failure(error.storeError), count: batch.count)
        } catch {
            return Array(repeating: .failure(error), count: batch.count)
        }
    }

    /// One reply in one statement: a known submission id answers with its row (or refuses when the
    /// row is another pack's or participant's); the pack row is share-locked so a removal cannot
    /// pass the insert; a participant who has replied is seen before the insert (so no id is drawn
    /// for nothing; the folded number compared in the index's collation, or the index is not
    /// used), and `ON CONFLICT DO NOTHING` lets the unique indexes refuse one committed after
    /// the statement's snapshot without ending the transaction. A batch sends its statements in one
    /// pipeline; they run one after the other, each seeing the ones before it.
    static let insertSQL = """
        WITH pack AS (SELECT p_id FROM packs WHERE p_id = $1::bigint FOR KEY SHARE),
        stored AS (\(storedSQL(submissionID: "$10::text", packID: "$1::bigint", no: "$4::text"))),
        taken AS (SELECT 1 FROM replies WHERE p_id = $1::bigint AND no_folded = (lower($4::text COLLATE "C") COLLATE "default")),
        inserted AS (
            INSERT INTO replies (p_id, name, email, no, sex, age, phone, date, answers, layout, submission_id, no_folded,
                                 recruitment, consented_at, consent_version, input)
            SELECT p_id, $2::text, $3::text, $4::text, $5::integer, $6::integer, $7::text, \(nowSQL), $8::text, $9::text,
                   $10::text, lower($4::text COLLATE "C"), $11::text, $12::text, $13::text, $14::text
            FROM pack WHERE NOT EXISTS (SELECT 1 FROM stored) AND NOT EXISTS (SELECT 1 FROM taken)
            ON CONFLICT DO NOTHING
            RETURNING r_id)
        SELECT (SELECT r_id FROM inserted), (SELECT r_id FROM stored), (SELECT same FROM stored), EXISTS (SELECT 1 FROM pack)
        """

    static func insertParameters(_ reply: NewReply) -> [any PostgreSQLParameter] {
        [reply.packID, reply.name, reply.email, reply.no, reply.sex, reply.age, reply.phone, reply.answers,
         reply.layout.rawValue, reply.submissionID, reply.recruitment, reply.consentedAt, reply.consentVersion, reply.input]
    }

    /// What `insertSQL` did; when no row went in and the pack exists, a second look (a new snapshot)
    /// says whether the submission id is stored after all, else the participant has replied.
    private static func outcome(of result: PostgreSQLResult, for reply: NewReply,
                                in db: PostgreSQLConnection) throws -> ReplyInsertOutcome {
        guard let row = result.first else { throw PostgreSQLError(.unexpectedValue, message: "the reply insert answered no row") }
        if let id = try row.optionalInt64(0) { return .inserted(id) }
        if let stored = try row.optionalInt64(1) { return try row.bool(2) ? .alreadyStored(stored) : .submissionIDTaken }
        guard try row.bool(3) else { return .unknownPack }
        return try storedReply(for: reply, in: db) ?? .alreadyParticipated
    }

    /// The row holding a submission id, and whether it is this pack's and participant's (`same`).
    private static func storedSQL(submissionID: String, packID: String, no: String) -> String {
        #"SELECT r_id, p_id = \#(packID) AND lower(no COLLATE "C") = lower(\#(no) COLLATE "C") AS same "#
            + "FROM replies WHERE submission_id = \(submissionID)"
    }

    /// The outcome when `reply`'s submission id is already stored, read in a statement of its own.
    private static func storedReply(for reply: NewReply, in db: PostgreSQLConnection) throws -> ReplyInsertOutcome? {
        guard let submissionID = reply.submissionID else { return nil }
        let stored = try db.execute(storedSQL(submissionID: "$1::text", packID: "$2::bigint", no: "$3::text"),
                                    [submissionID, reply.packID, reply.no])
        guard let row = stored.first else { return nil }
        return try row.bool(1) ? .alreadyStored(try row.int64(0)) : .submissionIDTaken
    }

    /// Rows fetched per round trip while streaming: a bounded few MB in memory, never the whole pack.
    static let fetchSize = 128

    /// The pack's replies by `r_id` through a cursor in one read-only transaction (one snapshot),
    /// `fetchSize` rows at a time. Never retried once rows were handed out (they would come twice).
    public func forEachReply(packID: Int64, _ body: (ReplyRecord) throws -> Void) throws {
        try Self.mappingErrors {
            try pool.withConnection { connection in
                try connection.transaction(.repeatableRead) { db in
                    try db.execute("""
                        DECLARE replies_out NO SCROLL CURSOR FOR
                        SELECT r_id, p_id, name, email, no, sex, age, phone, date, answers, layout,
                               recruitment, consented_at, consent_version, input
                        FROM replies WHERE p_id = $1 ORDER BY r_id
                        """, [packID])
                    while true {
                        let rows = try db.execute("FETCH \(Self.fetchSize) FROM replies_out")
                        for row in rows.rows { try body(try Self.record(from: row)) }
                        if rows.rowCount < Self.fetchSize { break }
                    }
                }
            }
        }
    }

    private static func record(from row: PostgreSQLRow) throws -> ReplyRecord {
        // The column's CHECK allows only known layouts; anything else is a failure, not a guess.
        guard let layout = AnswerLayout(rawValue: try row.text(10)) else {
            throw StoreError.failure("reply \(row.optionalText(0) ?? "?") has an unknown layout")
        }
        return ReplyRecord(id: try row.int64(0), packID: try row.int64(1), name: try row.text(2), email: try row.text(3),
                           no: try row.text(4), sex: Int(try row.int64(5)), age: Int(try row.int64(6)), phone: try row.text(7),
                           date: try row.text(8), answers: try row.text(9), layout: layout, recruitment: try row.text(11),
                           consentedAt: row.optionalText(12), consentVersion: row.optionalText(13), input: try row.text(14))
    }
}
