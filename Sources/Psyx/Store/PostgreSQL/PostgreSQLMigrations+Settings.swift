/// Version 4 of the PostgreSQL schema: SQLite's version 5 (PackSettings.md) — each pack's settings,
/// and each reply's recruitment IDs, consent and input — and the change notification told about a
/// settings change (an update of `settings` alone is a changed pack, not just a changed count, so
/// every responder forgets the pack and its rendered start answer).
extension PostgreSQLMigrations {
    static let settingsColumns = """
        ALTER TABLE packs ADD COLUMN settings text NOT NULL DEFAULT '{}';
        ALTER TABLE replies ADD COLUMN recruitment text NOT NULL DEFAULT '{}';
        ALTER TABLE replies ADD COLUMN consented_at text;
        ALTER TABLE replies ADD COLUMN consent_version text;
        ALTER TABLE replies ADD COLUMN input text NOT NULL DEFAULT 'keys' CHECK (input IN ('keys', 'touch'));

        CREATE OR REPLACE FUNCTION psyx_note_change() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE
            origin text := coalesce(nullif(current_setting('psyx.origin', true), ''), '-');
        BEGIN
            IF TG_TABLE_NAME = 'packs' THEN
                IF TG_OP = 'UPDATE' AND (OLD.p_id, OLD.pack_name, OLD.sex, OLD.age_min, OLD.age_max, OLD.date, OLD.open, OLD.settings)
                        IS NOT DISTINCT FROM (NEW.p_id, NEW.pack_name, NEW.sex, NEW.age_min, NEW.age_max, NEW.date, NEW.open, NEW.settings) THEN
                    PERFORM pg_notify('psyx_changes', origin || ' counts');  -- the list changed, no pack did
                ELSE
                    PERFORM pg_notify('psyx_changes', origin || ' packs');
                END IF;
            ELSIF TG_TABLE_NAME = 'pack_pairs' THEN
                PERFORM pg_notify('psyx_changes', origin || ' packs');
            ELSIF TG_OP = 'INSERT' THEN
                PERFORM pg_notify('psyx_changes', origin || ' reply ' || NEW.p_id || ' ' || lower(NEW.no COLLATE "C"));
            ELSE
                PERFORM pg_notify('psyx_changes', origin || ' replies ' || OLD.p_id);
            END IF;
            RETURN NULL;
        END $$;
        """
}
