/// The experiment on a PostgreSQL server that any number of responders share, with exactly
/// `SQLiteStore`'s semantics, enforced by the database rather than by one writer:
///
/// - a reply is acknowledged only once committed durably (`synchronous_commit` on for every
///   transaction); concurrent submits share commits through `GroupCommit`, as on SQLite;
/// - one reply per pack and case-folded participant number, and each submission id once, by unique
///   indexes; overlapping packs by an exclusion constraint — whichever responder writes;
/// - reply counts kept by a trigger; a change counter (`psyx_changes`) moved by triggers at every
///   commit is the data version, and their notifications keep each responder's caches (packs, the
///   pack each participant gets, who has replied) true (`PostgreSQLChangeFeed`): a cache is used
///   only while the feed is live, and a constraint refuses whatever a moment-stale one lets through;
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
            return try PostgreSQLChangeFeed(pool.info) { change in
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

    /// The change counter the schema's triggers move once per committing transaction, read from the
    /// database: the same number on every responder, moved by any writer.
    public func dataVersion() throws -> Int64? {
        try read { db in try db.execute("SELECT version FROM psyx_changes").first?.int64(0) }
    }

    /// The schema version recorded in the database.
    public func schemaVersion() throws -> Int {
        try read { db in try PostgreSQLMigrations.version(on: db) }
    }

    /// `$N` as the stored date text: the statement's time, ISO 8601 UTC in whole seconds (SQLite's strftime).
    static let nowSQL = #"to_char(statement_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')"#
}
