/// Version 5 of the PostgreSQL schema (after version 4, the per-pack settings): start holds
/// (`PostgreSQLHolds`). `UNLOGGED`: no WAL, so neither a fsync nor the synchronous standby is waited
/// for; the server empties the table after a crash, and a standby does not have it (a promoted
/// standby starts with none) — holds are not answers. No foreign key and no trigger: a hold of a
/// removed pack just ends, and a claim notifies no responder's caches.
extension PostgreSQLMigrations {
    static let holdsTable = """
        CREATE UNLOGGED TABLE holds (
            p_id bigint NOT NULL,
            no_folded text NOT NULL,        -- the participant number, ASCII letters lowered
            token text NOT NULL,
            until timestamptz NOT NULL,     -- the server's clock: every responder agrees on it
            PRIMARY KEY (p_id, no_folded)
        );
        CREATE INDEX holds_by_until ON holds (until);
        """
}
