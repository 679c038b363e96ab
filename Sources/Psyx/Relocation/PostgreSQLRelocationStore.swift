/// The relocation tables on a PostgreSQL server shared by any number of responders and workers, with
/// exactly `SQLiteRelocationStore`'s semantics, enforced by the database rather than by one writer:
///
/// - every state change is one transaction; those that read before they write (levels, contents,
///   posts, commits, completions) run SERIALIZABLE and are retried on a serialization failure, so two
///   processes changing levels at once can never leave an invalid set — one of them re-reads and
///   re-validates (and an exclusion constraint refuses overlapping levels whatever the client does);
/// - workers claim with `FOR UPDATE SKIP LOCKED`: two claims never take the same job, and never wait
///   for each other;
/// - a lost connection is reopened on the next call (`PostgreSQLPool`).
///
/// Times are written as the SQLite store writes them (ISO 8601 UTC text with milliseconds), so both
/// backends answer byte-for-byte the same.
public final class PostgreSQLRelocationStore: RelocationStore {
    let pool: PostgreSQLPool

    /// Connects (one connection at once, more on demand up to `maxConnections`) and migrates.
    public convenience init(connection info: PostgreSQLConnectionInfo, maxConnections: Int = 8) throws {
        try self.init(pool: try Self.mappingErrors { try PostgreSQLPool(info, maxConnections: maxConnections) })
    }

    /// On a pool shared with the experiment store (one responder, one set of connections).
    init(pool: PostgreSQLPool) throws {
        self.pool = pool
        try Self.mappingErrors { try pool.withConnection { try PostgreSQLMigrations.run(on: $0) } }
    }

    /// `$N` as the stored time text for Unix seconds (rounded to milliseconds, as SQLite's strftime does).
    static func timeSQL(_ parameter: Int) -> String {
        "to_char(to_timestamp(round($\(parameter)::numeric, 3)) AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')"
    }

    /// PostgreSQL's errors become `StoreError`s (`PostgreSQLError.storeError`: a 500, or a 503 while
    /// the server cannot be reached); the store's own `RelocationError`s pass through unchanged.
    static func mappingErrors<T>(_ body: () throws -> T) throws -> T {
        try PostgreSQLError.mappingToStore(body)
    }

    /// A serializable transaction (retried on conflicts), errors mapped.
    ///
    /// The overlap constraint is checked at COMMIT, before PostgreSQL's own serialization check, so two
    /// transactions that each validated a level set and then raced are told "exclusion violation"
    /// rather than 40001. Every write here validates the whole set first, so that violation can only
    /// mean a concurrent change: the transaction runs again and validates against what was committed.
    func serializable<T>(_ body: (PostgreSQLConnection) throws -> T) throws -> T {
        try Self.mappingErrors {
            var attempt = 1
            while true {
                do {
                    return try pool.transaction(.serializable, body)
                } catch let error as PostgreSQLError where error.constraint == "levels_do_not_overlap" && attempt < 10 {
                    attempt += 1
                }
            }
        }
    }

    func read<T>(_ body: (PostgreSQLConnection) throws -> T) throws -> T {
        try Self.mappingErrors { try pool.read(body) }
    }

    /// Proves the server answers (for `/api/health`).
    public func ping() throws {
        _ = try read { db in try db.execute("SELECT 1") }
    }

    // MARK: Levels

    public func levelSet() throws -> LevelSet {
        try read { db in try Self.levelSet(in: db) }
    }

    public func setLevels(_ changes: [Level]) throws -> LevelSet {
        try serializable { db in
            let current = try Self.levelSet(in: db)
            let updated = try SQLiteRelocationStore.checked { () throws(LevelSetError) in try current.applying(changes) }
            for level in changes {
                try db.execute("""
                    INSERT INTO levels (content_level, min_counts, max_counts, path) VALUES ($1, $2, $3, $4)
                    ON CONFLICT (content_level) DO UPDATE
                    SET min_counts = excluded.min_counts, max_counts = excluded.max_counts, path = excluded.path
                    """, [level.name, level.minCounts, level.maxCounts, level.path])
            }
            return updated
        }
    }

    public func removeLevel(named name: String) throws -> LevelSet {
        try serializable { db in
            let current = try Self.levelSet(in: db)
            guard current.level(named: name) != nil else { throw RelocationError.unknownLevel(name) }
            let users = try db.execute("""
                SELECT (SELECT count(*) FROM contents WHERE content_level = $1)
                     + (SELECT count(*) FROM relocation_jobs WHERE target = $1 OR db_level = $1)
                """, [name]).first?.int64(0) ?? 0
            guard users == 0 else { throw RelocationError.levelInUse(name, contents: Int(users)) }
            let remaining = try SQLiteRelocationStore.checked { () throws(LevelSetError) in
                try LevelSet(validating: current.levels.filter { $0.name != name })
            }
            try db.execute("DELETE FROM levels WHERE content_level = $1", [name])
            return remaining
        }
    }

    /// The levels as stored, validated; a set made invalid by hand is the server's problem (a 500).
    static func levelSet(in db: PostgreSQLConnection) throws -> LevelSet {
        let levels = try db.execute("SELECT content_level, min_counts, max_counts, path FROM levels ORDER BY min_counts")
            .rows.map { row in
                Level(name: try row.text(0), minCounts: try row.int64(1), maxCounts: try row.int64(2), path: try row.text(3))
            }
        do {
            return try LevelSet(validating: levels)
        } catch {
            throw StoreError.failure("the levels table is inconsistent: \(error)")
        }
    }

    // MARK: Contents

    static let contentColumns = "SELECT cid, content_level, filename, generate_time, update_time FROM contents"

    public func contents() throws -> [Content] {
        try read { db in try db.execute("\(Self.contentColumns) ORDER BY cid").rows.map(Self.content(from:)) }
    }

    public func content(cid: Int64) throws -> Content? {
        try read { db in try Self.content(cid: cid, in: db) }
    }

    public func addContent(cid: Int64, level name: String, filename: String, now: Double,
                           verify: (Level) throws -> Void) throws -> Content {
        guard Content.isValidFilename(filename) else { throw RelocationError.invalidFilename(filename) }
        return try serializable { db in
            guard let level = try Self.levelSet(in: db).level(named: name) else { throw RelocationError.unknownLevel(name) }
            guard try Self.content(cid: cid, in: db) == nil else { throw RelocationError.contentExists(cid) }
            guard try db.execute("SELECT 1 FROM contents WHERE filename = $1", [filename]).rowCount == 0 else {
                throw RelocationError.filenameTaken(filename)
            }
            try verify(level)
            let inserted = try db.execute("""
                INSERT INTO contents (cid, content_level, filename, generate_time, update_time)
                VALUES ($1, $2, $3, \(Self.timeSQL(4)), \(Self.timeSQL(4)))
                RETURNING cid, content_level, filename, generate_time, update_time
                """, [cid, name, filename, now])
            guard let row = inserted.first else { throw StoreError.failure("content \(cid) vanished after its insert") }
            return try Self.content(from: row)
        }
    }

    static func content(cid: Int64, in db: PostgreSQLConnection) throws -> Content? {
        try db.execute("\(contentColumns) WHERE cid = $1", [cid]).first.map(content(from:))
    }

    static func content(from row: PostgreSQLRow) throws -> Content {
        Content(cid: try row.int64(0), level: try row.text(1), filename: try row.text(2),
                generateTime: try row.text(3), updateTime: try row.text(4))
    }
}
