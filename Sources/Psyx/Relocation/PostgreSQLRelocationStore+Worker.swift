/// Jobs as workers see them. A claim is one statement whose `FOR UPDATE SKIP LOCKED` sub-select locks
/// the job it picks and passes over jobs another worker is claiming this instant, so any number of
/// workers (threads or machines) claim at once without taking a job twice or waiting for each other.
/// Renew and release are single conditional UPDATEs: the row lock and PostgreSQL's re-check of the
/// WHERE clause on the newest row make them atomic at READ COMMITTED.
extension PostgreSQLRelocationStore {
    public func claim(workerID: String, lease: Double, now: Double) throws -> ClaimedJob? {
        try Self.mappingErrors {
            try pool.transaction(.readCommitted) { db -> ClaimedJob? in
                let claimed = try db.execute("""
                    UPDATE relocation_jobs SET worker_id = $1, lease_expires = $2
                    WHERE cid = (SELECT cid FROM relocation_jobs
                                 WHERE status = 'update' AND (lease_expires IS NULL OR lease_expires < $3)
                                 ORDER BY cid LIMIT 1
                                 FOR UPDATE SKIP LOCKED)
                    RETURNING \(Self.jobColumns)
                    """, [workerID, now + lease, now])
                guard let row = claimed.first else { return nil }
                return ClaimedJob(job: try Self.job(from: row), levels: try Self.levelSet(in: db))
            }
        }
    }

    public func renew(cid: Int64, workerID: String, until: Double) throws -> Bool {
        try Self.mappingErrors {
            try pool.transaction(.readCommitted) { db in
                try db.execute("""
                    UPDATE relocation_jobs SET lease_expires = $3 WHERE cid = $1 AND worker_id = $2 AND status = 'update'
                    """, [cid, workerID, until]).affectedRows == 1
            }
        }
    }

    public func complete(cid: Int64, workerID: String, now: Double) throws -> Bool {
        try serializable { db in
            let done = try db.execute("""
                UPDATE relocation_jobs SET status = 'done', lease_expires = NULL
                WHERE cid = $1 AND worker_id = $2 AND status = 'update'
                RETURNING target
                """, [cid, workerID])
            guard let target = try done.first?.text(0) else { return false }
            try Self.moveContent(cid: cid, to: target, now: now, in: db)
            return true
        }
    }

    public func release(cid: Int64, workerID: String, retryAt: Double?) throws {
        try Self.mappingErrors {
            try pool.transaction(.readCommitted) { db in
                try db.execute("""
                    UPDATE relocation_jobs SET worker_id = NULL, lease_expires = $3
                    WHERE cid = $1 AND worker_id = $2 AND status = 'update'
                    """, [cid, workerID, retryAt])
            }
        }
    }
}
