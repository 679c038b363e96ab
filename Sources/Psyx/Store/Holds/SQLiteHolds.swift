import FastCGI
import Foundation
import Synchronization

/// Start holds on one machine: a database file of their own beside the experiment's
/// (`holds.sqlite`, WAL, `synchronous = OFF`: a claim is a write to the page cache, never a sync),
/// with its own tiny schema made on open — not a step of the experiment's `Migrations`. The claim is
/// one `INSERT … ON CONFLICT DO UPDATE … WHERE … RETURNING` that SQLite decides under its write lock,
/// so two connections (or processes) never both win.
///
/// A start without a token must not pay a database read when its pack has no live hold: the pack's
/// counter in `HoldGenerations` (shared memory, moved by every claim in any process) and the latest
/// hold end this process read (`HoldHorizons`) answer that from memory; only a pack with holds that
/// may still be live is read. Ended holds are swept a few at a time, every `sweepEvery` claims.
public final class SQLiteHolds: StartHolds {
    static let fileName = "holds.sqlite"
    /// The file's own schema version (`PRAGMA user_version`); a file with another is emptied and made
    /// again: holds are never worth a migration.
    static let schemaVersion: Int64 = 1
    static let sweepEvery = 64
    static let sweepLimit = 256

    public let path: String
    private let connection: Locked<SQLiteDatabase>
    private let generations: HoldGenerations
    private let horizons = HoldHorizons()
    private let claims = Atomic<Int>(0)

    /// A claim is a write to the page cache and a check at most one indexed read: always.
    public func answersInline(packID: Int64, withToken: Bool) -> Bool { true }

    /// Opens (making it if needed, mode 0600) the holds file at `path` and its counters at `path-generations`.
    public init(path: String) throws {
        self.path = path
        do {
            try SQLiteStore.prepareFile(at: path)
            let db = try SQLiteDatabase(path: path, mode: .readWrite)
            db.setBusyTimeout(milliseconds: SQLiteStore.busyTimeoutMilliseconds)
            let journalMode = try db.text("PRAGMA journal_mode = WAL")
            guard journalMode?.lowercased() == "wal" else {
                throw StoreError.failure("cannot switch \(path) to WAL (journal_mode is \(journalMode ?? "unknown"))")
            }
            try db.exec("PRAGMA synchronous = OFF")
            try db.transaction {
                guard try db.int64("PRAGMA user_version") != Self.schemaVersion else { return }
                try db.exec(Self.schema)
            }
            connection = Locked(db)
        } catch let error as SQLiteError {
            throw StoreError.failure("opening \(path): \(error)")
        }
        generations = try HoldGenerations(path: path + "-generations")
    }

    static let schema = """
        DROP TABLE IF EXISTS holds;
        CREATE TABLE holds (
            p_id INTEGER NOT NULL,
            no_folded TEXT NOT NULL,        -- the participant number, ASCII letters lowered
            token TEXT NOT NULL,
            until REAL NOT NULL,            -- Unix seconds: the hold ends then
            PRIMARY KEY (p_id, no_folded)
        ) WITHOUT ROWID;
        CREATE INDEX holds_by_pack_until ON holds (p_id, until);
        CREATE INDEX holds_by_until ON holds (until);
        PRAGMA user_version = 1;
        """

    /// The holds file beside the SQLite database at `databasePath`.
    static func path(besideDatabase databasePath: String) -> String {
        guard let slash = databasePath.lastIndex(of: "/") else { return fileName }
        return String(databasePath[...slash]) + fileName
    }

    public func claim(packID: Int64, no: String, token: String, seconds: Double) throws -> Bool {
        let now = Self.now()
        let until = now + seconds
        let claimed = try SQLiteStore.mappingErrors {
            try connection.withLock { db in
                try db.withStatement(
                    """
                    INSERT INTO holds (p_id, no_folded, token, until) VALUES (?1, ?2, ?3, ?4)
                    ON CONFLICT (p_id, no_folded) DO UPDATE SET token = excluded.token, until = excluded.until
                    WHERE holds.token = excluded.token OR holds.until <= ?5
                    RETURNING 1
                    """
                ) { statement in
                    try statement.bind(packID, at: 1)
                    try statement.bind(ParticipantIndex.folded(no), at: 2)
                    try statement.bind(token, at: 3)
                    try statement.bind(until, at: 4)
                    try statement.bind(now, at: 5)
                    var returned = false
                    while try statement.step() { returned = true }
                    return returned
                }
            }
        }
        if claimed {
            // After the commit (the statement ran to its end above), as `HoldGenerations` requires.
            horizons.advance(packID: packID, from: generations.bump(packID), until: until)
        }
        if claims.wrappingAdd(1, ordering: .relaxed).newValue % Self.sweepEvery == 0 {
            try sweep(before: now)
        }
        return claimed
    }

    public func isHeld(packID: Int64, no: String) throws -> Bool {
        let now = Self.now()
        let generation = generations.value(for: packID)
        if let latest = horizons.latest(packID: packID, generation: generation), latest <= now { return false }
        return try SQLiteStore.mappingErrors {
            try connection.withLock { db in
                let held = try db.int64("SELECT 1 FROM holds WHERE p_id = ?1 AND no_folded = ?2 AND until > ?3") { statement in
                    try statement.bind(packID, at: 1)
                    try statement.bind(ParticipantIndex.folded(no), at: 2)
                    try statement.bind(now, at: 3)
                } != nil
                let latest = try db.withStatement("SELECT max(until) FROM holds WHERE p_id = ?1") { statement in
                    try statement.bind(packID, at: 1)
                    return try statement.step() && !statement.isNull(at: 0) ? statement.double(at: 0) : 0
                }
                horizons.store(packID: packID, generation: generation, latest: latest)
                return held
            }
        }
    }

    /// Deletes up to `sweepLimit` holds that ended before `now`: a claim's share of the cleaning stays small.
    func sweep(before now: Double) throws {
        try SQLiteStore.mappingErrors {
            try connection.withLock { db in
                try db.run(
                    """
                    DELETE FROM holds WHERE (p_id, no_folded) IN
                        (SELECT p_id, no_folded FROM holds WHERE until <= ?1 LIMIT \(Self.sweepLimit))
                    """
                ) { try $0.bind(now, at: 1) }
            }
        }
    }

    /// Holds in the file now, ended ones included (for tests).
    func count() throws -> Int {
        try SQLiteStore.mappingErrors { try connection.withLock { db in Int(try db.int64("SELECT count(*) FROM holds") ?? 0) } }
    }

    static func now() -> Double {
        Date().timeIntervalSince1970
    }
}
