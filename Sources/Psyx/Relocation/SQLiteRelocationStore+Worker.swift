/// Jobs as workers see them: claimed atomically under a lease, renewed, completed or given back.
extension SQLiteRelocationStore {
    public func claim(workerID: String, lease: Double, now: Double) throws -> ClaimedJob? {
        try store.withWriter { db in
            try db.transaction(.immediate) {
                // One statement picks and takes the job; with the write lock held by BEGIN IMMEDIATE no
                // other worker (in this process or another) can take the same one.
                let job = try db.withStatement("""
                    UPDATE relocation_jobs SET worker_id = ?1, lease_expires = ?2
                    WHERE cid = (SELECT cid FROM relocation_jobs
                                 WHERE status = 'update' AND (lease_expires IS NULL OR lease_expires < ?3)
                                 ORDER BY cid LIMIT 1)
                    RETURNING cid, count, target, db_level, filename, worker_id, status, lease_expires
                    """) { statement -> RelocationJob? in
                    try statement.bind(workerID, at: 1)
                    try statement.bind(now + lease, at: 2)
                    try statement.bind(now, at: 3)
                    guard try statement.step() else { return nil }
                    let job = try Self.job(from: statement)
                    while try statement.step() {}
                    return job
                }
                guard let job else { return nil }
                return ClaimedJob(job: job, levels: try Self.levelSet(in: db))
            }
        }
    }

    public func renew(cid: Int64, workerID: String, until: Double) throws -> Bool {
        try store.withWriter { db in
            try db.run("""
                UPDATE relocation_jobs SET lease_expires = ?3 WHERE cid = ?1 AND worker_id = ?2 AND status = 'update'
                """) { statement in
                try statement.bind(cid, at: 1)
                try statement.bind(workerID, at: 2)
                try statement.bind(until, at: 3)
            } == 1
        }
    }

    public func complete(cid: Int64, workerID: String, now: Double) throws -> Bool {
        try store.withWriter { db in
            try db.transaction(.immediate) {
                let target = try db.text("""
                    UPDATE relocation_jobs SET status = 'done', lease_expires = NULL
                    WHERE cid = ?1 AND worker_id = ?2 AND status = 'update'
                    RETURNING target
                    """) { statement in
                    try statement.bind(cid, at: 1)
                    try statement.bind(workerID, at: 2)
                }
                guard let target else { return false }
                try Self.moveContent(cid: cid, to: target, now: now, in: db)
                return true
            }
        }
    }

    public func release(cid: Int64, workerID: String, retryAt: Double?) throws {
        try store.withWriter { db in
            try db.run("""
                UPDATE relocation_jobs SET worker_id = NULL, lease_expires = ?3
                WHERE cid = ?1 AND worker_id = ?2 AND status = 'update'
                """) { statement in
                try statement.bind(cid, at: 1)
                try statement.bind(workerID, at: 2)
                if let retryAt { try statement.bind(retryAt, at: 3) } else { try statement.bindNull(at: 3) }
            }
        }
    }
}
