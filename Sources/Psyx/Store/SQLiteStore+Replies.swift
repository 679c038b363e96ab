/// Replies: durable inserts through group commit, participation checks, streaming for download.
extension SQLiteStore {
    public func insertReply(_ reply: NewReply) throws -> ReplyInsertOutcome {
        let outcome = try replyCommits.submit(reply) { batch in commitReplies(batch) }
        participants.note(outcome, for: reply)
        return outcome
    }

    /// From `participants` once the pack's numbers are loaded (one query per pack); numbers are
    /// compared case-folded, as the database's unique index compares them.
    public func hasReply(packID: Int64, participantNo: String) throws -> Bool {
        try participants.hasReplied(packID: packID, no: participantNo) {
            try withReader { db in
                var numbers = Set<String>()
                try db.withStatement("SELECT lower(no) FROM replies WHERE p_id = ?1") { statement in
                    try statement.bind(packID, at: 1)
                    while try statement.step() { numbers.insert(statement.text(at: 0)) }
                }
                return numbers
            }
        }
    }

    public func replyCount(packID: Int64) throws -> Int {
        try withReader { db in
            Int(try db.int64("SELECT reply_count FROM packs WHERE p_id = ?1") { try $0.bind(packID, at: 1) } ?? 0)
        }
    }

    public func forEachReply(packID: Int64, _ body: (ReplyRecord) throws -> Void) throws {
        try withReader { db in
            try db.withStatement(
                """
                SELECT r_id, p_id, name, email, no, sex, age, phone, date, answers, layout,
                       recruitment, consented_at, consent_version, input
                FROM replies WHERE p_id = ?1 ORDER BY r_id
                """
            ) { statement in
                try statement.bind(packID, at: 1)
                while try statement.step() {
                    // The column's CHECK allows only known layouts; a file changed behind psyx's back is a failure.
                    guard let layout = AnswerLayout(rawValue: statement.text(at: 10)) else {
                        throw StoreError.failure("reply \(statement.int64(at: 0)) has an unknown layout")
                    }
                    try body(ReplyRecord(
                        id: statement.int64(at: 0), packID: statement.int64(at: 1), name: statement.text(at: 2),
                        email: statement.text(at: 3), no: statement.text(at: 4), sex: statement.int(at: 5),
                        age: statement.int(at: 6), phone: statement.text(at: 7), date: statement.text(at: 8),
                        answers: statement.text(at: 9), layout: layout, recruitment: statement.text(at: 11),
                        consentedAt: statement.optionalText(at: 12), consentVersion: statement.optionalText(at: 13),
                        input: statement.text(at: 14)))
                }
            }
        }
    }

    /// Writes one batch of replies in one transaction (one fsync at COMMIT) and returns one result per
    /// reply. A reply refused by a constraint is rolled back alone (SQLite undoes just the failing
    /// statement) and reported as its outcome; only an error that ends the transaction, or a failed
    /// COMMIT, fails the whole batch.
    func commitReplies(_ batch: [NewReply]) -> [Result<ReplyInsertOutcome, any Error>] {
        do {
            return try withWriter { db in
                // Cached statements (`run`), not `exec`: BEGIN and COMMIT are not parsed again per batch.
                try db.run("BEGIN IMMEDIATE")
                var results: [Result<ReplyInsertOutcome, any Error>] = []
                results.reserveCapacity(batch.count)
                for reply in batch {
                    do {
                        results.append(.success(try Self.insert(reply, into: db)))
                    } catch {
                        guard !db.isAutocommit else { throw error }  // the transaction is gone
                        results.append(.failure(StoreError.failure("\(error)")))
                    }
                }
                do {
                    try db.run("COMMIT")
                } catch {
                    db.rollback()
                    throw error
                }
                return results
            }
        } catch {
            let failure = (error as? StoreError) ?? StoreError.failure("\(error)")
            return Array(repeating: .failure(failure), count: batch.count)
        }
    }

    /// The next r_id: above every stored one and every deleted one (`reply_ids.high`), so an id is
    /// never given twice, even after the highest reply was withdrawn (both reads are one index step).
    static let nextReplyIDSQL = "(SELECT max(coalesce((SELECT max(r_id) FROM replies), 0), high) + 1 FROM reply_ids)"

    /// One reply inside the batch's transaction: a known submission id answers with its row (or
    /// refuses when the row is another pack's or participant's), a constraint names the outcome.
    private static func insert(_ reply: NewReply, into db: SQLiteDatabase) throws -> ReplyInsertOutcome {
        if let stored = try storedReply(for: reply, in: db) { return stored }
        do {
            try db.run(
                """
                INSERT INTO replies (r_id, p_id, name, email, no, sex, age, phone, date, answers, layout, submission_id, no_folded,
                                     recruitment, consented_at, consent_version, input)
                VALUES (\(nextReplyIDSQL), ?1, ?2, ?3, ?4, ?5, ?6, ?7, \(nowSQL), ?8, ?9, ?10, lower(?4), ?11, ?12, ?13, ?14)
                """
            ) { statement in
                try statement.bind(reply.packID, at: 1)
                try statement.bind(reply.name, at: 2)
                try statement.bind(reply.email, at: 3)
                try statement.bind(reply.no, at: 4)
                try statement.bind(reply.sex, at: 5)
                try statement.bind(reply.age, at: 6)
                try statement.bind(reply.phone, at: 7)
                try statement.bind(reply.answers, at: 8)
                try statement.bind(reply.layout.rawValue, at: 9)
                try statement.bind(reply.submissionID, at: 10)
                try statement.bind(reply.recruitment, at: 11)
                try statement.bind(reply.consentedAt, at: 12)
                try statement.bind(reply.consentVersion, at: 13)
                try statement.bind(reply.input, at: 14)
            }
            return .inserted(db.lastInsertRowID)
        } catch let error as SQLiteError where error.isForeignKeyViolation {
            return .unknownPack
        } catch let error as SQLiteError where error.isUniqueViolation {
            return try storedReply(for: reply, in: db) ?? .alreadyParticipated
        }
    }

    /// The outcome when `reply`'s submission id is already stored: a retry of the same pack and
    /// participant (number compared case-folded) is that row; any other reply may not take the id.
    private static func storedReply(for reply: NewReply, in db: SQLiteDatabase) throws -> ReplyInsertOutcome? {
        guard let submissionID = reply.submissionID else { return nil }
        return try db.withStatement(
            "SELECT r_id, p_id = ?2 AND lower(no) = lower(?3) FROM replies WHERE submission_id = ?1"
        ) { statement -> ReplyInsertOutcome? in
            try statement.bind(submissionID, at: 1)
            try statement.bind(reply.packID, at: 2)
            try statement.bind(reply.no, at: 3)
            guard try statement.step() else { return nil }
            return statement.int(at: 1) != 0 ? .alreadyStored(statement.int64(at: 0)) : .submissionIDTaken
        }
    }
}
