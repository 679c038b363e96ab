/// Jobs as the API sees them: `/post_sentence` writes one, `/update_sentence` commits it.
extension SQLiteRelocationStore {
    static let jobColumns = """
        SELECT cid, count, target, db_level, filename, worker_id, status, lease_expires FROM relocation_jobs
        """

    public func jobs() throws -> [RelocationJob] {
        try store.withReader { db in
            try db.withStatement("\(Self.jobColumns) ORDER BY cid") { statement in
                var jobs: [RelocationJob] = []
                while try statement.step() {
                    jobs.append(try Self.job(from: statement))
                }
                return jobs
            }
        }
    }

    public func job(cid: Int64) throws -> RelocationJob? {
        try store.withReader { db in try Self.job(cid: cid, in: db) }
    }

    public func post(cid: Int64, count: Int64, now: Double) throws -> RelocationJob {
        try store.withWriter { db in
            try db.transaction(.immediate) {
                guard let content = try Self.content(cid: cid, in: db) else {
                    throw RelocationError.unknownContent(cid)
                }
                let choice = try Self.levelSet(in: db).choiceForPost(count: count)
                if let raised = choice.raisedMax {
                    try db.run("UPDATE levels SET max_counts = ?1 WHERE content_level = ?2") { statement in
                        try statement.bind(raised, at: 1)
                        try statement.bind(choice.level.name, at: 2)
                    }
                }
                if let existing = try Self.job(cid: cid, in: db), existing.isHeld(at: now) {
                    return existing
                }
                let job = RelocationJob(posting: count, for: content, to: choice)
                try db.run("""
                    INSERT OR REPLACE INTO relocation_jobs
                        (cid, count, target, db_level, filename, worker_id, status, lease_expires)
                    VALUES (?1, ?2, ?3, ?4, ?5, NULL, ?6, NULL)
                    """) { statement in
                    try statement.bind(job.cid, at: 1)
                    try statement.bind(job.count, at: 2)
                    try statement.bind(job.target, at: 3)
                    try statement.bind(job.dbLevel, at: 4)
                    try statement.bind(job.filename, at: 5)
                    try statement.bind(job.status.rawValue, at: 6)
                }
                return job
            }
        }
    }

    public func commit(cid: Int64, now: Double) throws -> Bool {
        try store.withWriter { db in
            try db.transaction(.immediate) {
                guard try Self.content(cid: cid, in: db) != nil else { throw RelocationError.unknownContent(cid) }
                guard let job = try Self.job(cid: cid, in: db), job.status == .done else { return false }
                try Self.moveContent(cid: cid, to: job.target, now: now, in: db)
                try db.run("DELETE FROM relocation_jobs WHERE cid = ?1") { try $0.bind(cid, at: 1) }
                return true
            }
        }
    }

    /// The content now lives in `level`, as of `now`.
    static func moveContent(cid: Int64, to level: String, now: Double, in db: SQLiteDatabase) throws {
        try db.run("UPDATE contents SET content_level = ?1, update_time = \(timeSQL) WHERE cid = ?2") { statement in
            try statement.bind(level, at: 1)
            try statement.bind(cid, at: 2)
            try statement.bind(now, at: 9)
        }
    }

    static func job(cid: Int64, in db: SQLiteDatabase) throws -> RelocationJob? {
        try db.withStatement("\(jobColumns) WHERE cid = ?1") { statement in
            try statement.bind(cid, at: 1)
            return try statement.step() ? try job(from: statement) : nil
        }
    }

    /// Reads the columns of `jobColumns` (or a RETURNING clause in the same order).
    static func job(from statement: SQLiteStatement) throws -> RelocationJob {
        let statusText = statement.text(at: 6)
        guard let status = RelocationJob.Status(rawValue: statusText) else {
            throw StoreError.failure("relocation job \(statement.int64(at: 0)) has status \(statusText)")
        }
        return RelocationJob(cid: statement.int64(at: 0), count: statement.int64(at: 1), target: statement.text(at: 2),
                             dbLevel: statement.text(at: 3), filename: statement.text(at: 4),
                             workerID: statement.optionalText(at: 5), status: status,
                             leaseExpires: statement.isNull(at: 7) ? nil : statement.double(at: 7))
    }
}
