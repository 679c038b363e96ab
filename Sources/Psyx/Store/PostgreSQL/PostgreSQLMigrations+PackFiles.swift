/// Version 3 of the PostgreSQL schema: a pack's image files, written in the create's transaction
/// and removed with the pack row (one backup holds both). Each responder copies them into its own
/// `packs/<name>/` when first needed (`PackCopies`), where Nginx serves them.
extension PostgreSQLMigrations {
    static let packFilesTable = """
        CREATE TABLE pack_files (
            p_id bigint NOT NULL REFERENCES packs (p_id) ON DELETE CASCADE,
            name text NOT NULL,
            bytes bytea NOT NULL,
            PRIMARY KEY (p_id, name)
        );
        """
}
