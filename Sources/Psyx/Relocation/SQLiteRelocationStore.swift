/// The relocation tables in the same SQLite file as the experiment (migration step 2), written through
/// the experiment store's single writer connection, so both services share one lock and one file.
/// Other processes (`psyx relocate`, `psyx levels`) open their own `SQLiteStore` on the same file;
/// SQLite's locking and `BEGIN IMMEDIATE` keep their transactions apart.
public final class SQLiteRelocationStore: RelocationStore {
    let store: SQLiteStore

    public init(store: SQLiteStore) {
        self.store = store
    }


    static let timeSQL = "strftime('%Y-%m-%dT%H:%M:%fZ', ?9, 'unixepoch')"

    // MARK: Levels

    public func levelSet() throws -> LevelSet {
        try store.withReader { db in try Self.levelSet(in: db) }
    }

    public func setLevels(_ changes: [Level]) throws -> LevelSet {
        try store.withWriter { db in
            try db.transaction(.immediate) {
                let current = try Self.levelSet(in: db)
                let updated = try Self.checked { () throws(LevelSetError) in try current.applying(changes) }
                for level in changes {
                    try db.run("""
                        INSERT INTO levels (content_level, min_counts, max_counts, path) VALUES (?1, ?2, ?3, ?4)
                        ON CONFLICT (content_level) DO UPDATE
                        SET min_counts = excluded.min_counts, max_counts = excluded.max_counts, path = excluded.path
                        """) { statement in
                        try statement.bind(level.name, at: 1)
                        try statement.bind(level.minCounts, at: 2)
                        try statement.bind(level.maxCounts, at: 3)
                        try statement.bind(level.path, at: 4)
                    }
                }
                return updated
            }
        }
    }

    public func removeLevel(named name: String) throws -> LevelSet {
        try store.withWriter { db in
            try db.transaction(.immediate) {
                let current = try Self.levelSet(in: db)
                guard current.level(named: name) != nil else { throw RelocationError.unknownLevel(name) }
                let users = try db.int64("""
                    SELECT (SELECT count(*) FROM contents WHERE content_level = ?1)
                         + (SELECT count(*) FROM relocation_jobs WHERE target = ?1 OR db_level = ?1)
                    """) { try $0.bind(name, at: 1) } ?? 0
                guard users == 0 else { throw RelocationError.levelInUse(name, contents: Int(users)) }
                let remaining = try Self.checked { () throws(LevelSetError) in
                    try LevelSet(validating: current.levels.filter { $0.name != name })
                }
                try db.run("DELETE FROM levels WHERE content_level = ?1") { try $0.bind(name, at: 1) }
                return remaining
            }
        }
    }

    /// A refused level set as the store's error.
    static func checked(_ make: () throws(LevelSetError) -> LevelSet) throws(RelocationError) -> LevelSet {
        do {
            return try make()
        } catch {
            throw .invalidLevels(error)
        }
    }

    /// The levels as stored, validated; a set made invalid by hand is the server's problem (a 500).
    static func levelSet(in db: SQLiteDatabase) throws -> LevelSet {
        let levels = try db.withStatement(
            "SELECT content_level, min_counts, max_counts, path FROM levels ORDER BY min_counts"
        ) { statement in
            var levels: [Level] = []
            while try statement.step() {
                levels.append(Level(name: statement.text(at: 0), minCounts: statement.int64(at: 1),
                                    maxCounts: statement.int64(at: 2), path: statement.text(at: 3)))
            }
            return levels
        }
        do {
            return try LevelSet(validating: levels)
        } catch {
            throw StoreError.failure("the levels table is inconsistent: \(error)")
        }
    }

    // MARK: Contents

    public func contents() throws -> [Content] {
        try store.withReader { db in
            try db.withStatement("\(Self.contentColumns) ORDER BY cid") { statement in
                var contents: [Content] = []
                while try statement.step() {
                    contents.append(Self.content(from: statement))
                }
                return contents
            }
        }
    }

    public func content(cid: Int64) throws -> Content? {
        try store.withReader { db in try Self.content(cid: cid, in: db) }
    }

    public func addContent(cid: Int64, level name: String, filename: String, now: Double,
                           verify: (Level) throws -> Void) throws -> Content {
        guard Content.isValidFilename(filename) else { throw RelocationError.invalidFilename(filename) }
        return try store.withWriter { db in
            try db.transaction(.immediate) {
                guard let level = try Self.levelSet(in: db).level(named: name) else {
                    throw RelocationError.unknownLevel(name)
                }
                guard try Self.content(cid: cid, in: db) == nil else { throw RelocationError.contentExists(cid) }
                let taken = try db.int64("SELECT 1 FROM contents WHERE filename = ?1") { try $0.bind(filename, at: 1) }
                guard taken == nil else { throw RelocationError.filenameTaken(filename) }
                try verify(level)
                try db.run("""
                    INSERT INTO contents (cid, content_level, filename, generate_time, update_time)
                    VALUES (?1, ?2, ?3, \(Self.timeSQL), \(Self.timeSQL))
                    """) { statement in
                    try statement.bind(cid, at: 1)
                    try statement.bind(name, at: 2)
                    try statement.bind(filename, at: 3)
                    try statement.bind(now, at: 9)
                }
                guard let added = try Self.content(cid: cid, in: db) else {
                    throw StoreError.failure("content \(cid) vanished after its insert")
                }
                return added
            }
        }
    }

    static let contentColumns = "SELECT cid, content_level, filename, generate_time, update_time FROM contents"

    static func content(cid: Int64, in db: SQLiteDatabase) throws -> Content? {
        try db.withStatement("\(contentColumns) WHERE cid = ?1") { statement in
            try statement.bind(cid, at: 1)
            return try statement.step() ? content(from: statement) : nil
        }
    }

    static func content(from statement: SQLiteStatement) -> Content {
        Content(cid: statement.int64(at: 0), level: statement.text(at: 1), filename: statement.text(at: 2),
                generateTime: statement.text(at: 3), updateTime: statement.text(at: 4))
    }
}
