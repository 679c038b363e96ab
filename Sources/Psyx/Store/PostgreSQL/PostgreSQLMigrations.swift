/// The PostgreSQL schema as ordered steps, like SQLite's `Migrations`: step `i` (0-based) brings the
/// database to version `i + 1`, recorded in the one-row table `psyx_schema`. Each step runs in its
/// own transaction together with the version bump (PostgreSQL's DDL is transactional), under an
/// advisory lock, so responders starting at the same moment migrate once, one after the other.
/// A database whose version is above the steps known here was written by a newer Psyx: refused.
///
/// The numbering is PostgreSQL's own (its steps are not SQLite's): append a step, never edit one
/// that has shipped. Version 1 is the relocation service, version 2 the experiment.
enum PostgreSQLMigrations {
    static let steps: [String] = [
        // Version 1: the content relocation service (RELOCATION.md), with SQLite's version-2 constraints.
        """
        CREATE TABLE levels (
            content_level text PRIMARY KEY,
            min_counts bigint NOT NULL CHECK (min_counts >= 0),
            max_counts bigint NOT NULL CHECK (max_counts >= min_counts),
            path text NOT NULL,                      -- absolute, or relative to the data directory
            -- No count in two levels, checked by the database itself; deferred to COMMIT so one
            -- transaction can move several levels' bounds (the whole set is validated before that).
            CONSTRAINT levels_do_not_overlap
                EXCLUDE USING gist ((int8range(min_counts, max_counts, '[]')) WITH &&) DEFERRABLE INITIALLY DEFERRED
        );

        CREATE TABLE contents (
            cid bigint PRIMARY KEY,
            content_level text NOT NULL REFERENCES levels (content_level),
            filename text NOT NULL UNIQUE,           -- unique: /contents/<filename> names one file
            generate_time text NOT NULL,             -- ISO 8601 UTC with milliseconds, as SQLite stores it
            update_time text NOT NULL
        );

        CREATE TABLE relocation_jobs (
            cid bigint PRIMARY KEY REFERENCES contents (cid) ON DELETE CASCADE,
            count bigint NOT NULL CHECK (count >= 0),
            target text NOT NULL REFERENCES levels (content_level),
            db_level text NOT NULL REFERENCES levels (content_level),
            filename text NOT NULL,
            worker_id text,                          -- NULL until a worker claims the job
            status text NOT NULL CHECK (status IN ('update', 'done')),
            lease_expires double precision           -- Unix seconds: the claim's end, or a failed job's retry time
        );
        CREATE INDEX relocation_jobs_claimable ON relocation_jobs (status, lease_expires);
        """,
        // Version 2: the experiment (packs, pairs, replies; change counter and notifications).
        experimentTables,
        // Version 3: pack images, stored with their pack so that every responder can serve them.
        packFilesTable,
        // Version 4: per-pack settings; each reply's recruitment IDs, consent and input (SQLite's 5).
        settingsColumns,
        // Version 5: start holds (PackSettings.md): the UNLOGGED holds, and hold_packs.
        holdsTables,
    ]

    /// Any number, the same in every Psyx: the advisory lock that serializes migrations.
    static let lockKey: Int64 = 0x7073_7978_7363_6D61  // "psyxscma"

    /// Brings the database up to `steps.count`; refuses a database written by a newer Psyx.
    static func run(on db: PostgreSQLConnection, steps: [String] = PostgreSQLMigrations.steps) throws {
        while try db.transaction(.readCommitted, { db in try runNextStep(on: db, steps: steps) }) {}
    }

    /// The version recorded in the database (0 when the table is empty or missing).
    static func version(on db: PostgreSQLConnection) throws -> Int {
        let exists = try db.execute("SELECT to_regclass('psyx_schema') IS NOT NULL").first?.bool(0) ?? false
        guard exists else { return 0 }
        return Int(try db.execute("SELECT version FROM psyx_schema").first?.int64(0) ?? 0)
    }

    /// Runs the step after the recorded version, if any; true when it ran one.
    private static func runNextStep(on db: PostgreSQLConnection, steps: [String]) throws -> Bool {
        try db.execute("SELECT pg_advisory_xact_lock($1)", [lockKey])
        try db.executeScript("""
            CREATE TABLE IF NOT EXISTS psyx_schema (
                singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
                version integer NOT NULL CHECK (version >= 0)
            );
            INSERT INTO psyx_schema (version) VALUES (0) ON CONFLICT DO NOTHING;
            """)
        let current = try version(on: db)
        guard current <= steps.count else {
            throw StoreError.failure(
                "PostgreSQL schema version \(current) is newer than this psyx understands (\(steps.count))")
        }
        guard current < steps.count else { return false }
        try db.executeScript(steps[current])
        try db.execute("UPDATE psyx_schema SET version = $1", [current + 1])
        return true
    }
}
