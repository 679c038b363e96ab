/// Packs: list, load, choose for a participant, create (all or nothing) and remove.
extension SQLiteStore {
    /// SQLite's own clock, in the API's date format (ISO 8601 UTC, whole seconds).
    static let nowSQL = "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"
    /// What `summary(from:)` reads, in its order.
    static let summaryColumns = "p_id, pack_name, sex, age_min, age_max, date, reply_count, open, settings"

    public func packSummaries() throws -> [PackSummary] {
        try withReader { db in
            try db.withStatement(
                "SELECT \(Self.summaryColumns) FROM packs ORDER BY p_id"
            ) { statement in
                var summaries: [PackSummary] = []
                while try statement.step() {
                    summaries.append(Self.summary(from: statement))
                }
                return summaries
            }
        }
    }

    public func pack(id: Int64) throws -> Pack? {
        if let cached = packCache.pack(id: id) {
            return cached
        }
        let generation = packCache.generation
        let pack = try withReader { db in
            try db.transaction(.deferred) { try Self.loadPack(id: id, from: db) }
        }
        if let pack {
            packCache.store(pack, readAt: generation)
        }
        return pack
    }

    public func suitablePack(sex: Int, age: Int) throws -> Pack? {
        if let known = packCache.suitablePackID(sex: sex, age: age) {
            guard let known else { return nil }
            return try pack(id: known)
        }
        let generation = packCache.generation
        let id = try withReader { db in
            try db.int64(
                "SELECT p_id FROM packs WHERE open AND sex = ?1 AND age_min <= ?2 AND age_max >= ?2 ORDER BY p_id LIMIT 1"
            ) { statement in
                try statement.bind(sex, at: 1)
                try statement.bind(age, at: 2)
            }
        }
        packCache.storeSuitable(id, sex: sex, age: age, readAt: generation)
        guard let id else { return nil }
        return try pack(id: id)
    }

    public func createPack(_ pack: NewPack, beforeCommit: () throws -> Void) throws -> Int64 {
        defer { packCache.invalidate() }
        return try withWriter { db in
            try db.transaction(.immediate) {
                let id = try Self.insertPack(pack, into: db)
                try beforeCommit()
                return id
            }
        }
    }

    public func removePack(id: Int64, beforeCommit: (PackSummary) throws -> Void) throws -> PackSummary? {
        defer {
            packCache.invalidate()
            participants.remove(packID: id)
        }
        return try withWriter { db in
            try db.transaction(.immediate) {
                guard let summary = try Self.loadSummary(id: id, from: db) else { return nil }
                try db.run("DELETE FROM packs WHERE p_id = ?1") { try $0.bind(id, at: 1) }
                try beforeCommit(summary)
                return summary
            }
        }
    }

    public func packNames() throws -> Set<String> {
        try withReader { db in
            try db.withStatement("SELECT pack_name FROM packs") { statement in
                var names = Set<String>()
                while try statement.step() {
                    names.insert(statement.text(at: 0))
                }
                return names
            }
        }
    }

    /// Checks the name and the condition, then writes the pack row and its pairs (inside the caller's
    /// write transaction, so the checks and the insert see the same data).
    private static func insertPack(_ pack: NewPack, into db: SQLiteDatabase) throws -> Int64 {
        let nameTaken = try db.int64("SELECT 1 FROM packs WHERE pack_name = ?1") { try $0.bind(pack.name, at: 1) }
        guard nameTaken == nil else { throw StoreError.packNameTaken }
        if let other = try openPackOverlapping(sex: pack.sex, ageMin: pack.ageMin, ageMax: pack.ageMax, in: db) {
            throw StoreError.conditionOverlap(with: other)
        }
        do {
            try db.run(
                "INSERT INTO packs (pack_name, sex, age_min, age_max, date, settings) VALUES (?1, ?2, ?3, ?4, \(nowSQL), ?5)"
            ) { statement in
                try statement.bind(pack.settings.storedJSON, at: 5)
                try statement.bind(pack.name, at: 1)
                try statement.bind(pack.sex, at: 2)
                try statement.bind(pack.ageMin, at: 3)
                try statement.bind(pack.ageMax, at: 4)
            }
        } catch let error as SQLiteError where error.isUniqueViolation {
            throw StoreError.packNameTaken
        }
        let id = db.lastInsertRowID
        for pair in pack.pairs {
            try db.run("INSERT INTO pack_pairs (p_id, number, ori, inv) VALUES (?1, ?2, ?3, ?4)") { statement in
                try statement.bind(id, at: 1)
                try statement.bind(pair.number, at: 2)
                try statement.bind(pair.ori, at: 3)
                try statement.bind(pair.inv, at: 4)
            }
        }
        return id
    }

    /// The first open pack of `sex` whose ages overlap `ageMin...ageMax`, other than `excluding`.
    /// Closed ranges [a, b] and [c, d] overlap when a <= d and c <= b (touching bounds overlap);
    /// closed packs block nothing (schema version 4).
    static func openPackOverlapping(sex: Int, ageMin: Int, ageMax: Int, excluding: Int64 = 0,
                                    in db: SQLiteDatabase) throws -> PackSummary? {
        let overlap = try db.int64(
            "SELECT p_id FROM packs WHERE open AND sex = ?1 AND age_min <= ?3 AND age_max >= ?2 AND p_id <> ?4 ORDER BY p_id LIMIT 1"
        ) { statement in
            try statement.bind(sex, at: 1)
            try statement.bind(ageMin, at: 2)
            try statement.bind(ageMax, at: 3)
            try statement.bind(excluding, at: 4)
        }
        guard let overlap else { return nil }
        return try loadSummary(id: overlap, from: db)
    }

    static func loadSummary(id: Int64, from db: SQLiteDatabase) throws -> PackSummary? {
        try db.withStatement(
            "SELECT \(summaryColumns) FROM packs WHERE p_id = ?1"
        ) { statement -> PackSummary? in
            try statement.bind(id, at: 1)
            return try statement.step() ? summary(from: statement) : nil
        }
    }

    /// Reads one pack and its pairs (call inside a read transaction for a consistent view).
    private static func loadPack(id: Int64, from db: SQLiteDatabase) throws -> Pack? {
        guard let summary = try loadSummary(id: id, from: db) else { return nil }
        let pairs = try db.withStatement(
            "SELECT number, ori, inv FROM pack_pairs WHERE p_id = ?1 ORDER BY number"
        ) { statement in
            try statement.bind(id, at: 1)
            var pairs: [PackPair] = []
            while try statement.step() {
                pairs.append(PackPair(number: statement.int(at: 0), ori: statement.text(at: 1), inv: statement.text(at: 2)))
            }
            return pairs
        }
        return Pack(id: summary.id, name: summary.name, sex: summary.sex, ageMin: summary.ageMin,
                    ageMax: summary.ageMax, date: summary.date, pairs: pairs, open: summary.open, settings: summary.settings)
    }

    /// The summary columns in the order every pack query above selects them.
    private static func summary(from statement: SQLiteStatement) -> PackSummary {
        PackSummary(id: statement.int64(at: 0), name: statement.text(at: 1), sex: statement.int(at: 2),
                    ageMin: statement.int(at: 3), ageMax: statement.int(at: 4), date: statement.text(at: 5),
                    replyCount: statement.int(at: 6), open: statement.int(at: 7) != 0,
                    settings: PackSettings(storedJSON: statement.text(at: 8)))
    }
}
