import FastCGI
import Foundation
import Synchronization

/// Start holds on the PostgreSQL server that every responder shares: the `UNLOGGED` table `holds`
/// (schema version 5), on the experiment store's pool. The claim is one statement the server decides
/// (`INSERT … ON CONFLICT DO UPDATE … WHERE … RETURNING`: a concurrent claim of the same number waits
/// for the first and then finds it held), committed with `synchronous_commit` off for itself
/// (`set_config(…, true)` inside the statement, which is `SET LOCAL` in one round trip). Times are
/// the server's, so responders with differing clocks agree on when a hold ends.
///
/// A start without a token must see another responder's claim at once, yet should not cost a round
/// trip on a pack nobody holds numbers in (the original page, scripts). So a responder that read
/// "this pack has never had a hold" (no `hold_packs` row) answers such starts from memory for
/// `leaseSeconds` from the moment it sent that read, and the first claim in a pack waits: it writes
/// the pack's `hold_packs` row (durably), and every claimer that finds the row not yet `ready`
/// sleeps `leaseSeconds` (plus a margin) after seeing it before answering, then marks it ready.
/// Whoever read "no row" did so before the row's commit, so its memory has run out by the time any
/// hold in that pack is answered — with clocks that run at the same rate, not necessarily in step.
/// One second once per pack, ever; a pack with holds is read every time.
final class PostgreSQLHolds: StartHolds {
    static let sweepEvery = 64
    static let sweepLimit = 256
    static let leaseSeconds = 1.0
    static let leaseMargin = 0.1

    let pool: PostgreSQLPool
    private let claims = Atomic<Int>(0)
    /// Per pack: until when (monotonic nanoseconds) this responder knows the pack has no hold.
    private let leases = ReadWriteLocked([Int64: UInt64]())
    /// Packs whose `hold_packs` row this responder saw ready: its claims need not wait.
    private let readyPacks = ReadWriteLocked(Set<Int64>())

    init(pool: PostgreSQLPool) {
        self.pool = pool
    }

    func answersInline(packID: Int64, withToken: Bool) -> Bool {
        !withToken && hasNoHoldForSure(packID)
    }

    func claim(packID: Int64, no: String, token: String, seconds: Double) throws -> Bool {
        if !readyPacks.withReadLock({ $0.contains(packID) }) { try makeReady(packID) }
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
        if hasNoHoldForSure(packID) { return false }
        let sent = Self.monotonicNow()
        let (packHasHolds, held) = try PostgreSQLError.mappingToStore {
            try pool.read { db in
                // One statement, one snapshot: both answers are as of the same moment.
                let row = try db.execute(
                    """
                    SELECT EXISTS (SELECT 1 FROM hold_packs WHERE p_id = $1::bigint),
                           EXISTS (SELECT 1 FROM holds WHERE p_id = $1::bigint AND no_folded = $2::text
                                                         AND until > clock_timestamp())
                    """, [packID, ParticipantIndex.folded(no)]).first
                return (try row?.bool(0) ?? true, try row?.bool(1) ?? false)
            }
        }
        if !packHasHolds {
            let end = sent + UInt64(Self.leaseSeconds * 1e9)
            leases.withWriteLock { $0[packID] = max($0[packID] ?? 0, end) }
        }
        return held
    }

    /// The pack's `hold_packs` row, written durably if missing; unless it is ready, this claim waits
    /// until every responder's memory of "no hold here" has run out, then marks it ready.
    private func makeReady(_ packID: Int64) throws {
        let ready = try PostgreSQLError.mappingToStore {
            try pool.transaction(.readCommitted) { db in
                // No row back: another claim's row committed while this statement waited for it.
                try db.execute(
                    """
                    WITH created AS (INSERT INTO hold_packs (p_id) VALUES ($1::bigint) ON CONFLICT (p_id) DO NOTHING
                                     RETURNING ready)
                    SELECT ready FROM created UNION ALL SELECT ready FROM hold_packs WHERE p_id = $1::bigint
                    """, [packID]).first?.bool(0) ?? false
            }
        }
        if !ready {
            usleep(UInt32((Self.leaseSeconds + Self.leaseMargin) * 1e6))
            try PostgreSQLError.mappingToStore {
                try pool.read { db in try db.execute("UPDATE hold_packs SET ready = true WHERE p_id = $1::bigint", [packID]) }
            }
        }
        readyPacks.withWriteLock { _ = $0.insert(packID) }
        leases.withWriteLock { $0[packID] = nil }
    }

    private func hasNoHoldForSure(_ packID: Int64) -> Bool {
        guard let end = leases.withReadLock({ $0[packID] }) else { return false }
        return Self.monotonicNow() < end
    }

    static func monotonicNow() -> UInt64 {
        DispatchTime.now().uptimeNanoseconds
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
