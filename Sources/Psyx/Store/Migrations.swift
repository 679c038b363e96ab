/// The schema, as ordered steps: step `i` (0-based) brings the database to version `i + 1`, recorded
/// in `PRAGMA user_version`. At open every step above the file's version runs, each in its own
/// transaction together with the version bump, so a crash leaves the file at a whole version.
///
/// To change the schema, append a step (never edit a step that has shipped): e.g. the relocation
/// tables (levels, contents, jobs) become version 2 by appending their SQL here.
enum Migrations {
    static let steps: [String] = [
        // Version 1: packs, their pairs, and replies.
        """
        CREATE TABLE packs (
            p_id INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused: a stale p_id cannot hit a newer pack
            pack_name TEXT NOT NULL UNIQUE,
            sex INTEGER NOT NULL,
            age_min INTEGER NOT NULL,
            age_max INTEGER NOT NULL,
            date TEXT NOT NULL,                      -- ISO 8601 UTC
            reply_count INTEGER NOT NULL DEFAULT 0   -- kept by triggers: listing never counts replies
        );
        CREATE INDEX packs_by_condition ON packs (sex, age_min, age_max);

        CREATE TABLE pack_pairs (
            p_id INTEGER NOT NULL REFERENCES packs (p_id) ON DELETE CASCADE,
            number INTEGER NOT NULL,
            ori TEXT NOT NULL,
            inv TEXT NOT NULL,
            PRIMARY KEY (p_id, number)
        ) WITHOUT ROWID;

        CREATE TABLE replies (
            r_id INTEGER PRIMARY KEY,
            p_id INTEGER NOT NULL REFERENCES packs (p_id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            email TEXT NOT NULL,
            no TEXT NOT NULL,
            sex INTEGER NOT NULL,
            age INTEGER NOT NULL,
            phone TEXT NOT NULL,
            date TEXT NOT NULL,                      -- ISO 8601 UTC
            answers TEXT NOT NULL,                   -- the JSON array as submitted
            submission_id TEXT UNIQUE,
            UNIQUE (p_id, no)
        );
        CREATE INDEX replies_by_pack ON replies (p_id);

        CREATE TRIGGER replies_counted AFTER INSERT ON replies BEGIN
            UPDATE packs SET reply_count = reply_count + 1 WHERE p_id = NEW.p_id;
        END;
        CREATE TRIGGER replies_uncounted AFTER DELETE ON replies BEGIN
            UPDATE packs SET reply_count = reply_count - 1 WHERE p_id = OLD.p_id;
        END;
        """,
        // Version 2: the content relocation service (RELOCATION.md): levels, contents, relocation jobs.
        """
        CREATE TABLE levels (
            content_level TEXT PRIMARY KEY,
            min_counts INTEGER NOT NULL CHECK (min_counts >= 0),
            max_counts INTEGER NOT NULL CHECK (max_counts >= min_counts),
            path TEXT NOT NULL                       -- absolute, or relative to the data directory
        ) WITHOUT ROWID;

        CREATE TABLE contents (
            cid INTEGER PRIMARY KEY,
            content_level TEXT NOT NULL REFERENCES levels (content_level),
            filename TEXT NOT NULL UNIQUE,           -- unique: /contents/<filename> names one file
            generate_time TEXT NOT NULL,             -- ISO 8601 UTC with milliseconds
            update_time TEXT NOT NULL
        );

        CREATE TABLE relocation_jobs (
            cid INTEGER PRIMARY KEY REFERENCES contents (cid) ON DELETE CASCADE,
            count INTEGER NOT NULL CHECK (count >= 0),
            target TEXT NOT NULL REFERENCES levels (content_level),
            db_level TEXT NOT NULL REFERENCES levels (content_level),
            filename TEXT NOT NULL,
            worker_id TEXT,                          -- NULL until a worker claims the job
            status TEXT NOT NULL CHECK (status IN ('update', 'done')),
            lease_expires REAL                       -- Unix seconds: the claim's end, or a failed job's retry time
        );
        CREATE INDEX relocation_jobs_claimable ON relocation_jobs (status, lease_expires);
        """,
        // Version 3: each reply's answer layout, and one reply per participant number and pack
        // whatever the number's letter case.
        //   `layout` says which file name of a trial was shown on the left (`AnswerLayout`). Replies
        // stored before were all read as [key, rt, left, right]; the default records exactly that for
        // them (SQLite reads it for rows written before the column existed), so none changes meaning.
        // psyx always writes the layout it decided at submit.
        //   `no_folded` is `lower(no)` (numbers are ASCII): the unique index makes `S123` and `s123`
        // one participant. Replies that already repeat a number of their pack in another case are
        // all kept: the first stored holds the folded number, the later ones NULL (NULLs are distinct
        // in a unique index), so new submits of that number are still refused. An insert must give it.
        """
        ALTER TABLE replies ADD COLUMN layout TEXT NOT NULL DEFAULT 'key,rt,left,right'
            CHECK (layout IN ('key,rt,left,right', 'key,rt,right,left'));

        ALTER TABLE replies ADD COLUMN no_folded TEXT CHECK (no_folded = lower(no));
        UPDATE replies SET no_folded = lower(no)
            WHERE r_id IN (SELECT min(r_id) FROM replies GROUP BY p_id, lower(no));
        CREATE UNIQUE INDEX replies_one_per_participant ON replies (p_id, no_folded);
        CREATE TRIGGER replies_no_folded_given BEFORE INSERT ON replies WHEN NEW.no_folded IS NULL BEGIN
            SELECT RAISE(ABORT, 'replies.no_folded must be given (lower(no))');
        END;
        """,
        // Version 4: open and closed packs, and withdrawal (deleting replies).
        //   `open`: start matches participants to open packs only. Open packs of one sex may not
        // overlap in age; a closed pack blocks nothing (a researcher closes a pack to put a new one
        // in its place), so reopening it is refused while it overlaps an open one. The two triggers
        // hold that whoever writes; psyx checks first inside its transaction to name the other pack.
        //   `replies_deleted`: how many replies were ever deleted from the pack. With reply_count it
        // changes at every insert and every deletion, so caches of the replies (the analysis) key on
        // both: one withdrawal and one new reply leave the count as it was.
        //   `reply_ids.high`: the highest r_id ever deleted. r_id is a plain rowid, which SQLite would
        // give again after the highest reply is deleted; psyx inserts above it, and the database
        // refuses an insert at or under it, so an r_id never names two replies.
        """
        ALTER TABLE packs ADD COLUMN open INTEGER NOT NULL DEFAULT 1 CHECK (open IN (0, 1));
        ALTER TABLE packs ADD COLUMN replies_deleted INTEGER NOT NULL DEFAULT 0;

        CREATE TRIGGER packs_open_do_not_overlap_on_insert BEFORE INSERT ON packs
        WHEN NEW.open AND EXISTS (SELECT 1 FROM packs WHERE open AND sex = NEW.sex
                                  AND age_min <= NEW.age_max AND age_max >= NEW.age_min) BEGIN
            SELECT RAISE(ABORT, 'packs: open packs of one sex may not overlap in age');
        END;
        CREATE TRIGGER packs_open_do_not_overlap_on_update BEFORE UPDATE OF open, sex, age_min, age_max ON packs
        WHEN NEW.open AND EXISTS (SELECT 1 FROM packs WHERE open AND sex = NEW.sex AND p_id <> NEW.p_id
                                  AND age_min <= NEW.age_max AND age_max >= NEW.age_min) BEGIN
            SELECT RAISE(ABORT, 'packs: open packs of one sex may not overlap in age');
        END;

        CREATE TABLE reply_ids (
            singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
            high INTEGER NOT NULL
        );
        INSERT INTO reply_ids (singleton, high) VALUES (1, 0);

        DROP TRIGGER replies_uncounted;
        CREATE TRIGGER replies_uncounted AFTER DELETE ON replies BEGIN
            UPDATE packs SET reply_count = reply_count - 1, replies_deleted = replies_deleted + 1
                WHERE p_id = OLD.p_id;
            UPDATE reply_ids SET high = max(high, OLD.r_id);
        END;
        CREATE TRIGGER replies_ids_not_reused AFTER INSERT ON replies
        WHEN NEW.r_id <= (SELECT high FROM reply_ids) BEGIN
            SELECT RAISE(ABORT, 'replies.r_id of a deleted reply may not be given again');
        END;
        CREATE INDEX replies_by_participant ON replies (no_folded);
        """,
        // Version 5: per-pack settings, and what each reply records of its recruitment and consent
        // (PackSettings.md).
        //   `packs.settings`: a JSON object (`PackSettings`); '{}' — every default, today's
        // behaviour — for packs made before.
        //   `replies.recruitment`: the participant link's platform IDs as a JSON object ('{}': none);
        // `consented_at` and `consent_version`: when and to which consent text the participant
        // agreed (NULL: the pack had no consent step); `input`: keys or touch.
        """
        ALTER TABLE packs ADD COLUMN settings TEXT NOT NULL DEFAULT '{}';
        ALTER TABLE replies ADD COLUMN recruitment TEXT NOT NULL DEFAULT '{}';
        ALTER TABLE replies ADD COLUMN consented_at TEXT;
        ALTER TABLE replies ADD COLUMN consent_version TEXT;
        ALTER TABLE replies ADD COLUMN input TEXT NOT NULL DEFAULT 'keys' CHECK (input IN ('keys', 'touch'));
        """,
    ]

    static var latestVersion: Int { steps.count }

    /// Brings the database up to `latestVersion`; refuses a file written by a newer Psyx.
    static func run(on db: SQLiteDatabase, steps: [String] = Migrations.steps) throws {
        let current = Int(try db.int64("PRAGMA user_version") ?? 0)
        guard current <= steps.count else {
            throw StoreError.failure(
                "database schema version \(current) is newer than this psyx understands (\(steps.count))")
        }
        for (index, sql) in steps.enumerated() where index >= current {
            try db.transaction {
                try db.exec(sql)
                try db.exec("PRAGMA user_version = \(index + 1)")
            }
        }
    }
}
