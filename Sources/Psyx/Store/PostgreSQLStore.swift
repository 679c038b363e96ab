/// The experiment on a PostgreSQL server that any number of responders share, with exactly
/// `SQLiteStore`'s semantics, enforced by the database rather than by one writer:
///
/// - a reply is acknowledged only once committed durably (`synchronous_commit` on for every
///   transaction); concurrent submits share commits through `GroupCommit`, as on SQLite;
/// - one reply per pack and case-folded participant number, and each submission id once, by unique
///   indexes; overlapping packs by an exclusion constraint — whichever responder writes;
/// - reply counts kept by a trigger; every commit to packs, pairs or replies notified by a trigger,
///   which keeps each responder's data version and caches (packs, the pack each participant gets,
///   who has replied) true (`PostgreSQLChangeFeed`): both are used only while the feed is live, and
///   a constraint refuses whatever a moment-stale cache lets through;
/// - a lost connection is reopened by the pool; while the server cannot be reached every call
///   throws `StoreError.unavailable` (503), and nothing is half-written (one transaction each).
///
/// Times are stored as SQLite stores them (ISO 8601 UTC text), so both backends answer byte-for-byte
/// the same.
public final class PostgreSQLStore: ExperimentStore {
    let pool: PostgreSQLPool
    let replyCommits = GroupCommit<NewReply, ReplyInsertOutcome>(maxBatch: 256)
    let packCache = PackCache(capacity: 64)
    let participants = ParticipantIndex()
    let changes: PostgreSQLChangeFeed

    /// Connects, migrates, and starts listening for changes; refuses when the server cannot be
    /// reached (`StoreError.unavailable`) or its schema is newer than this psyx.
    public convenience init(connection info: PostgreSQLConnectionInfo, maxConnections: Int = 16) throws {
        try self.init(pool: try PostgreSQLError.mappingToStore { try PostgreSQLPool(info, maxConnections: maxConnections) })
    }

    /// On a pool shared with the relocation store (one responder, one set of connections).
    init(pool: PostgreSQLPool) throws {
        self.pool = pool
        let packCache = self.packCache
        let participants = self.participants
        changes = try PostgreSQLError.mappingToStore {
            try pool.withConnection { try PostgreSQLMigrations.run(on: $0) }
            return try PostgreSQLChangeFeed(pool.info, origin: pool.origin) { change in
                Self.forget(change, packs: packCache, participants: participants)
            }
        }
    }

    deinit { changes.stop() }

    /// What a committed change makes this process forget or learn.
    static func forget(_ change: PostgreSQLChangeFeed.Change, packs: PackCache, participants: ParticipantIndex) {
        switch change {
        case .packs:
            packs.invalidate()
        case .counts:
            break  // the version moved; no cached pack holds a count
        case .reply(let packID, let folded):
            participants.add(packID: packID, no: folded)
        case .replies(let packID):
            participants.remove(packID: packID)
        case .everything:
            packs.invalidate()
            participants.removeAll()
        }
    }

    /// PostgreSQL's errors as `StoreError`s; the store's own errors pass through.
    static func mappingErrors<T>(_ body: () throws -> T) throws -> T {
        try PostgreSQLError.mappingToStore(body)
    }

    func read<T>(_ body: (PostgreSQLConnection) throws -> T) throws -> T {
        try Self.mappingErrors { try pool.read(body) }
    }

    public func ping() throws {
        _ = try read { db in try db.execute("SELECT 1") }
    }

    /// The change feed's version: moved by this store's own commits at once and by every other
    /// writer's as its notification arrives; nil (nothing reused) while the feed is down. No round
    /// trip: `/api/admin/list` reuses its answer as on SQLite.
    public func dataVersion() throws -> Int64? {
        changes.version
    }

    /// The schema version recorded in the database.
    public func schemaVersion() throws -> Int {
        try read { db in try PostgreSQLMigrations.version(on: db) }
    }

    /// `$N` as the stored date text: the statement's time, ISO 8601 UTC in whole seconds (SQLite's strftime).
    static let nowSQL = #"to_char(statement_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')"#
}
