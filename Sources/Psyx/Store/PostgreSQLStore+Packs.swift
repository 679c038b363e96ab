/// Packs: list, load, choose for a participant, create (all or nothing) and remove.
///
/// Create and remove run `beforeCommit` (the caller's folder move) inside their transaction, so they
/// are never repeated once it ran: only an attempt that failed before it (a lost connection, a
/// deadlock, or a concurrent create that took the name or the condition first) runs again. A COMMIT whose answer
/// was lost is checked against the database before anything is reported.
extension PostgreSQLStore {
    static let summaryColumns = "p_id, pack_name, sex, age_min, age_max, date, reply_count, open, settings"
    /// The constraints a concurrent create (or open) can trip between the checks and the write.
    static let raceConstraints: Set<String> = ["packs_pack_name_key", "packs_open_do_not_overlap"]

    public func packSummaries() throws -> [PackSummary] {
        try read { db in try db.execute("SELECT \(Self.summaryColumns) FROM packs ORDER BY p_id").rows.map(Self.summary(from:)) }
    }

    /// From the cache while the change feed is live; one statement (a consistent view) otherwise.
    public func pack(id: Int64) throws -> Pack? {
        let live = changes.isLive
        if live, let cached = packCache.pack(id: id) { return cached }
        let generation = packCache.generation
        let pack = try read { db in try Self.loadPack(id: id, in: db) }
        if live, let pack { packCache.store(pack, readAt: generation) }
        return pack
    }

    public func suitablePack(sex: Int, age: Int) throws -> Pack? {
        let live = changes.isLive
        if live, let known = packCache.suitablePackID(sex: sex, age: age) {
            guard let known else { return nil }
            return try pack(id: known)
        }
        let generation = packCache.generation
        let id = try read { db in
            try db.execute("SELECT p_id FROM packs WHERE open AND sex = $1 AND age_min <= $2 AND age_max >= $2 ORDER BY p_id LIMIT 1",
                           [sex, age]).first?.int64(0)
        }
        if live { packCache.storeSuitable(id, sex: sex, age: age, readAt: generation) }
        guard let id else { return nil }
        return try pack(id: id)
    }

    public func packNames() throws -> Set<String> {
        try read { db in Set(try db.execute("SELECT pack_name FROM packs").rows.map { try $0.text(0) }) }
    }

    public func createPack(_ pack: NewPack, beforeCommit: () throws -> Void) throws -> Int64 {
        defer { packCache.invalidate() }
        var attempts = 0
        while true {
            var inserted: Int64?
            var handedOver = false
            do {
                let id = try pool.withConnection { connection in
                    try connection.transaction(.readCommitted) { db in
                        try Self.checkFree(pack, in: db)
                        let id = try Self.insertPack(pack, into: db)
                        inserted = id
                        handedOver = true
                        try beforeCommit()
                        return id
                    }
                }
                changes.noteOwnCommit()
                return id
            } catch let error as PostgreSQLError {
                // Two creates whose inserts each wait for the other's (the exclusion constraint) end in
                // a deadlock PostgreSQL breaks by failing one: it runs again and meets the other's pack.
                let raced = error.constraint.map(Self.raceConstraints.contains) ?? false || error.isSerializationFailure
                if !handedOver && attempts < 5 && (raced || (error.isConnectionLost && error.kind != .commitUnknown)) {
                    attempts += 1
                    continue
                }
                if error.kind == .commitUnknown, let inserted {
                    guard try committed(error, "SELECT 1 FROM packs WHERE p_id = $1", inserted) else { throw StoreError.unavailable(error.description) }
                    changes.noteOwnCommit()
                    return inserted
                }
                throw error.storeError
            }
        }
    }

    public func removePack(id: Int64, beforeCommit: (PackSummary) throws -> Void) throws -> PackSummary? {
        defer {
            packCache.invalidate()
            participants.remove(packID: id)
        }
        var attempts = 0
        while true {
            var removed: PackSummary?
            do {
                let summary = try pool.withConnection { connection in
                    try connection.transaction(.readCommitted) { db -> PackSummary? in
                        let deleted = try db.execute("DELETE FROM packs WHERE p_id = $1 RETURNING \(Self.summaryColumns)", [id])
                        guard let summary = try deleted.first.map(Self.summary(from:)) else { return nil }
                        removed = summary
                        try beforeCommit(summary)
                        return summary
                    }
                }
                if summary != nil { changes.noteOwnCommit() }
                return summary
            } catch let error as PostgreSQLError {
                if removed == nil && attempts < 5 && (error.isSerializationFailure || (error.isConnectionLost && error.kind != .commitUnknown)) {
                    attempts += 1
                    continue
                }
                if error.kind == .commitUnknown, let removed {
                    guard try !committed(error, "SELECT 1 FROM packs WHERE p_id = $1", id, whenRowIs: false) else {
                        throw StoreError.unavailable(error.description)
                    }
                    changes.noteOwnCommit()
                    return removed
                }
                throw error.storeError
            }
        }
    }

    /// After a COMMIT whose answer was lost: whether it took effect, told by `query` on `id` finding
    /// a row (`whenRowIs` true) or none. Unanswerable → `StoreError.outcomeUnknown`.
    func committed(_ lost: PostgreSQLError, _ query: String, _ id: Int64, whenRowIs present: Bool = true) throws -> Bool {
        do {
            return try pool.read { db in try db.execute(query, [id]).rowCount > 0 } == present
        } catch {
            throw StoreError.outcomeUnknown("\(lost.description); checking the outcome failed too: \(error)")
        }
    }

    /// The name and the condition are free (inside the create's transaction); the constraints
    /// catch a concurrent create that commits between this check and the insert.
    private static func checkFree(_ pack: NewPack, in db: PostgreSQLConnection) throws {
        guard try db.execute("SELECT 1 FROM packs WHERE pack_name = $1", [pack.name]).rowCount == 0 else {
            throw StoreError.packNameTaken
        }
        if let other = try openPackOverlapping(sex: pack.sex, ageMin: pack.ageMin, ageMax: pack.ageMax, in: db) {
            throw StoreError.conditionOverlap(with: other)
        }
    }

    /// The first open pack of `sex` whose ages overlap `ageMin...ageMax`, other than `excluding`.
    /// Closed ranges [a, b] and [c, d] overlap when a <= d and c <= b (touching bounds overlap);
    /// closed packs block nothing.
    static func openPackOverlapping(sex: Int, ageMin: Int, ageMax: Int, excluding: Int64 = 0,
                                    in db: PostgreSQLConnection) throws -> PackSummary? {
        try db.execute("""
            SELECT \(summaryColumns) FROM packs WHERE open AND sex = $1 AND age_min <= $3 AND age_max >= $2 AND p_id <> $4
            ORDER BY p_id LIMIT 1
            """, [sex, ageMin, ageMax, excluding]).first.map(summary(from:))
    }

    /// The pack row, then its pairs in statements of up to 1,000 rows.
    private static func insertPack(_ pack: NewPack, into db: PostgreSQLConnection) throws -> Int64 {
        let id = try db.execute(
            "INSERT INTO packs (pack_name, sex, age_min, age_max, date, settings) VALUES ($1, $2, $3, $4, \(nowSQL), $5) RETURNING p_id",
            [pack.name, pack.sex, pack.ageMin, pack.ageMax, pack.settings.storedJSON]).first?.int64(0)
        guard let id else { throw PostgreSQLError(.unexpectedValue, message: "INSERT INTO packs returned no p_id") }
        var start = 0
        while start < pack.pairs.count {
            let chunk = pack.pairs[start..<min(start + 1000, pack.pairs.count)]
            var parameters: [any PostgreSQLParameter] = [id]
            var rows: [String] = []
            for pair in chunk {
                let base = parameters.count
                rows.append("($1, $\(base + 1)::integer, $\(base + 2), $\(base + 3))")
                parameters += [pair.number, pair.ori, pair.inv] as [any PostgreSQLParameter]
            }
            try db.execute("INSERT INTO pack_pairs (p_id, number, ori, inv) VALUES " + rows.joined(separator: ", "), parameters)
            start += chunk.count
        }
        if let folder = pack.folder { try insertFiles(of: folder, packID: id, into: db) }
        return id
    }

    /// One pack and its pairs from one statement (one snapshot); nil when there is no such pack.
    private static func loadPack(id: Int64, in db: PostgreSQLConnection) throws -> Pack? {
        let result = try db.execute(
            """
            SELECT p.p_id, p.pack_name, p.sex, p.age_min, p.age_max, p.date, p.reply_count, p.open, p.settings,
                   pp.number, pp.ori, pp.inv
            FROM packs p LEFT JOIN pack_pairs pp ON pp.p_id = p.p_id WHERE p.p_id = $1 ORDER BY pp.number
            """, [id])
        guard let first = result.first else { return nil }
        let summary = try summary(from: first)
        let pairs = try result.rows.filter { !$0.isNull(9) }.map { row in
            PackPair(number: Int(try row.int64(9)), ori: try row.text(10), inv: try row.text(11))
        }
        return Pack(id: summary.id, name: summary.name, sex: summary.sex, ageMin: summary.ageMin,
                    ageMax: summary.ageMax, date: summary.date, pairs: pairs, open: summary.open, settings: summary.settings)
    }

    /// The columns of `summaryColumns`, in that order.
    static func summary(from row: PostgreSQLRow) throws -> PackSummary {
        PackSummary(id: try row.int64(0), name: try row.text(1), sex: Int(try row.int64(2)), ageMin: Int(try row.int64(3)),
                    ageMax: Int(try row.int64(4)), date: try row.text(5), replyCount: Int(try row.int64(6)), open: try row.bool(7),
                    settings: PackSettings(storedJSON: try row.text(8)))
    }
}
