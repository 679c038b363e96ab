import Synchronization

/// Start holds on the PostgreSQL server that every responder shares: the `UNLOGGED` table `holds`
/// (schema version 5), on the experiment store's pool. The claim is one statement the server decides
/// (`INSERT … ON CONFLICT DO UPDATE … WHERE … RETURNING`: a concurrent claim of the same number waits
/// for the first and then finds it held), committed with `synchronous_commit` off for itself
/// (`set_config(…, true)` inside the statement, which is `SET LOCAL` in one round trip). Times are
/// the server's, so responders with differing clocks agree on when a hold ends.
///
/// A start without a token reads the table: another responder's claim is seen at once, which no
/// cache fed by notifications could promise. Every call may wait on the network, so start runs on a
/// worker thread on PostgreSQL (`answersInline` false).
final class PostgreSQLHolds: StartHolds {
    static let sweepEvery = 64
    static let sweepLimit = 256

    let pool: PostgreSQLPool
    private let claims = Atomic<Int>(0)

    var answersInline: Bool { false }

    init(pool: PostgreSQLPool) {
        self.pool = pool
    }

    func claim(packID: Int64, no: String, token: String, seconds: Double) throws -> Bool {
        // A claim lost with its connection may run again: the same token renews, so it cannot hurt.
        let claimed = try PostgreSQLError.mappingToStore {
            try pool.read { db in
                try db.execute(
                    """
                    INSERT INTO holds (p_id, no_folded, token, until)
                    SELECT $1::bigint, $2::text, $3::text, clock_timestamp() + make_interval(secs => $4::float8)
                    FROM (SELECT set_config('synchronous_commit', 'off', true)) AS unlogged_write
                    ON CONFLICT (p_id, no_folded) DO UPDATE SET token = excluded.token, until = excluded.until
                    WHERE holds.token = excluded.token OR holds.until <= clock_timestamp()
                    RETURNING 1
                    """, [packID, ParticipantIndex.folded(no), token, seconds]).rowCount > 0
            }
        }
        if claims.wrappingAdd(1, ordering: .relaxed).newValue % Self.sweepEvery == 0 {
            try sweep()
        }
        return claimed
    }

    func isHeld(packID: Int64, no: String) throws -> Bool {
        try PostgreSQLError.mappingToStore {
            try pool.read { db in
                try db.execute("SELECT 1 FROM holds WHERE p_id = $1::bigint AND no_folded = $2::text AND until > clock_timestamp()",
                               [packID, ParticipantIndex.folded(no)]).rowCount > 0
            }
        }
    }

    /// Deletes up to `sweepLimit` ended holds in one round trip; rows another responder is sweeping are skipped.
    func sweep() throws {
        try PostgreSQLError.mappingToStore {
            try pool.read { db in
                try db.executeScript(
                    """
                    BEGIN; SET LOCAL synchronous_commit TO off;
                    DELETE FROM holds WHERE (p_id, no_folded) IN (SELECT p_id, no_folded FROM holds
                        WHERE until <= clock_timestamp() LIMIT \(Self.sweepLimit) FOR UPDATE SKIP LOCKED);
                    COMMIT;
                    """)
            }
        }
    }

    /// Holds in the table now, ended ones included (for tests).
    func count() throws -> Int {
        try PostgreSQLError.mappingToStore {
            try pool.read { db in Int(try db.execute("SELECT count(*) FROM holds").first?.int64(0) ?? 0) }
        }
    }
}
