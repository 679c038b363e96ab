/// Version 5 of the PostgreSQL schema (after version 4, the per-pack settings): start holds
/// (`PostgreSQLHolds`).
///
/// `holds` is `UNLOGGED`: no WAL, so a claim waits for neither a fsync nor the synchronous standby;
/// the server empties it after a crash, and a standby does not have it (a promoted standby starts
/// with none) — holds are not answers. No foreign key and no trigger: a hold of a removed pack just
/// ends, and a claim notifies no responder's caches.
///
/// `hold_packs` names every pack that has ever had a hold, written once per pack (durably: a
/// responder answers tokenless starts from memory only while the pack has no row, see
/// `PostgreSQLHolds`); `ready` once every responder's "no holds here" has surely run out.
extension PostgreSQLMigrations {
    static let holdsTables = """
        CREATE UNLOGGED TABLE holds (
            p_id bigint NOT NULL,
            no_folded text NOT NULL,        -- the participant number, ASCII letters lowered
            token text NOT NULL,
            until timestamptz NOT NULL,     -- the server's clock: every responder agrees on it
            PRIMARY KEY (p_id, no_folded)
        );
        CREATE INDEX holds_by_until ON holds (until);

        CREATE TABLE hold_packs (
            p_id bigint PRIMARY KEY,
            ready boolean NOT NULL DEFAULT false
        );
        """
}
