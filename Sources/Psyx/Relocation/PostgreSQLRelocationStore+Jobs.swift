/// Jobs as the API sees them: `/post_sentence` writes one, `/update_sentence` commits it. Both read
/// before they write, so both run SERIALIZABLE: a post racing a claim, a completion or another post
/// of the same cid is retried on the state the other left.
extension PostgreSQLRelocationStore {
    static let jobColumns = "cid, count, target, db_level, filename, worker_id, status, lease_expires"

    public func jobs() throws -> [RelocationJob] {
        try read { db in try db.execute("SELECT \(Self.jobColumns) FROM relocation_jobs ORDER BY cid").rows.map(Self.job(from:)) }
    }

    public func job(cid: Int64) throws -> RelocationJob? {
        try read { db in try Self.job(cid: cid, in: db) }
    }

    public func post(cid: Int64, count: Int64, now: Double) throws -> RelocationJob {
        try serializable { db in
            guard let content = try Self.content(cid: cid, in: db) else { throw RelocationError.unknownContent(cid) }
            let choice = try Self.levelSet(in: db).choiceForPost(count: count)
            if let raised = choice.raisedMax {
                try db.execute("UPDATE levels SET max_counts = $1 WHERE content_level = $2", [raised, choice.level.name])
            }
            if let existing = try Self.job(cid: cid, in: db), existing.isHeld(at: now) {
                return existing
            }
            let job = RelocationJob(posting: count, for: content, to: choice)
            // The whole row replaced, as SQLite's INSERT OR REPLACE does.
            try db.execute("""
                INSERT INTO relocation_jobs (\(Self.jobColumns)) VALUES ($1, $2, $3, $4, $5, NULL, $6, NULL)
                ON CONFLICT (cid) DO UPDATE SET count = excluded.count, target = excluded.target,
                    db_level = excluded.db_level, filename = excluded.filename, worker_id = NULL,
                    status = excluded.status, lease_expires = NULL
                """, [job.cid, job.count, job.target, job.dbLevel, job.filename, job.status.rawValue])
            return job
        }
    }

    public func commit(cid: Int64, now: Double) throws -> Bool {
        try serializable { db in
            guard try Self.content(cid: cid, in: db) != nil else { throw RelocationError.unknownContent(cid) }
            guard let job = try Self.job(cid: cid, in: db), job.status == .done else { return false }
            try Self.moveContent(cid: cid, to: job.target, now: now, in: db)
            try db.execute("DELETE FROM relocation_jobs WHERE cid = $1", [cid])
            return true
        }
    }

    /// The content now lives in `level`, as of `now`.
    static func moveContent(cid: Int64, to level: String, now: Double, in db: PostgreSQLConnection) throws {
        try db.execute("UPDATE contents SET content_level = $1, update_time = \(timeSQL(3)) WHERE cid = $2",
                       [level, cid, now])
    }

    static func job(cid: Int64, in db: PostgreSQLConnection) throws -> RelocationJob? {
        try db.execute("SELECT \(jobColumns) FROM relocation_jobs WHERE cid = $1", [cid]).first.map(job(from:))
    }

    /// Reads the columns of `jobColumns` (or a RETURNING clause in the same order).
    static func job(from row: PostgreSQLRow) throws -> RelocationJob {
        let statusText = try row.text(6)
        guard let status = RelocationJob.Status(rawValue: statusText) else {
            throw StoreError.failure("relocation job \(row.optionalText(0) ?? "?") has status \(statusText)")
        }
        return RelocationJob(cid: try row.int64(0), count: try row.int64(1), target: try row.text(2),
                             dbLevel: try row.text(3), filename: try row.text(4), workerID: row.optionalText(5),
                             status: status, leaseExpires: try row.optionalDouble(7))
    }
}
