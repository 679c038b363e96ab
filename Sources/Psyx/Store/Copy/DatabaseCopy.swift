import Foundation

/// `psyx database copy`: a SQLite database's packs, pairs, replies (with their layout and folded
/// numbers), levels, contents and relocation jobs into an empty PostgreSQL database, keeping every id,
/// in one PostgreSQL transaction read from one SQLite snapshot. Before COMMIT it checks every table's
/// count, every pack's reply count, and every reply's SHA-256 as PostgreSQL now holds it against the
/// source's: any difference rolls the whole copy back. The pack folders stay where they are, and
/// their files are also stored with their packs (`pack_files`, in the same transaction), so that
/// every responder on the PostgreSQL database can copy them (`PackCopies`).
struct DatabaseCopy {
    /// The SQLite file (it must exist; brought to the current schema first, as `psyx serve` would).
    let source: String
    let target: PostgreSQLConnectionInfo
    /// The data directory's `packs/`, whose folders' files go into `pack_files`; nil: none.
    var packsFolder: String?

    /// Rows per INSERT statement.
    static let batchRows = 100

    struct Outcome {
        var rows: [(table: String, count: Int)]
        /// SHA-256 over every reply's digest, in r_id order (hex).
        var repliesDigest: String
        /// Files stored with their packs, and packs whose folder was missing (none stored).
        var packFiles = 0
        var packsWithoutFolder: [String] = []
    }

    func run() throws -> Outcome {
        guard FileManager.default.fileExists(atPath: source) else { throw CommandError("no SQLite database at \(source)") }
        _ = try SQLiteStore(path: source, readerCount: 1)  // the schema as serve leaves it (a newer one is refused)
        let sqlite = try SQLiteDatabase(path: source, mode: .readOnly)
        sqlite.setBusyTimeout(milliseconds: 5000)
        let connection = try PostgreSQLConnection(target)
        try PostgreSQLMigrations.run(on: connection)
        return try sqlite.transaction(.deferred) {
            try connection.transaction(.readCommitted) { db in try copy(from: sqlite, to: db) }
        }
    }

    private func copy(from sqlite: SQLiteDatabase, to db: PostgreSQLConnection) throws -> Outcome {
        // Nobody else writes these tables until COMMIT, and they must be empty: nothing is merged.
        try db.execute("LOCK TABLE \(CopiedTable.all.map(\.name).joined(separator: ", ")) IN EXCLUSIVE MODE")
        let filled = try CopiedTable.all.compactMap { table -> String? in
            let count = try db.execute("SELECT count(*) FROM \(table.name)").first?.int64(0) ?? 0
            return count > 0 ? "\(table.name) \(count)" : nil
        }
        guard filled.isEmpty else {
            throw CommandError("the PostgreSQL database is not empty (\(filled.joined(separator: ", "))): psyx database copy "
                               + "writes only into an empty one, so that nothing is merged or overwritten")
        }
        // Replies of a number's case duplicates kept from before SQLite's version 3 have no folded number.
        try db.execute("SET LOCAL psyx.copying TO 'on'")
        var rows: [(table: String, count: Int)] = []
        var replyDigests: [[UInt8]] = []
        for table in CopiedTable.all {
            let isReplies = table.name == CopiedTable.replies.name
            let count = try copy(table, from: sqlite, to: db) { values in
                if isReplies { replyDigests.append(CopiedTable.digest(values)) }
            }
            rows.append((table.name, count))
        }
        try moveSequences(from: sqlite, in: db)
        try verifyCounts(rows, in: db)
        try verifyReplyCounts(from: sqlite, in: db)
        try verifyReplies(replyDigests, in: db)
        var all = SHA256()
        for digest in replyDigests { all.update(digest) }
        var outcome = Outcome(rows: rows, repliesDigest: all.finalizeHex())
        if let packsFolder { try copyPackFiles(from: packsFolder, in: db, into: &outcome) }
        return outcome
    }

    private func copyPackFiles(from packsFolder: String, in db: PostgreSQLConnection, into outcome: inout Outcome) throws {
        for row in try db.execute("SELECT p_id, pack_name FROM packs ORDER BY p_id").rows {
            let name = try row.text(1)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: packsFolder + "/" + name, isDirectory: &isDirectory), isDirectory.boolValue else {
                outcome.packsWithoutFolder.append(name)
                continue
            }
            try PostgreSQLStore.insertFiles(of: packsFolder + "/" + name, packID: try row.int64(0), into: db)
        }
        outcome.packFiles = Int(try db.execute("SELECT count(*) FROM pack_files").first?.int64(0) ?? 0)
    }

    /// Streams the table's rows into batched INSERTs; `each` sees every row's values as sent.
    private func copy(_ table: CopiedTable, from sqlite: SQLiteDatabase, to db: PostgreSQLConnection,
                      each: ([String?]) -> Void) throws -> Int {
        try sqlite.withStatement("SELECT \(table.columnList) FROM \(table.name) ORDER BY \(table.order)") { statement in
            var batch: [String?] = []
            var count = 0
            func flush() throws {
                guard !batch.isEmpty else { return }
                try db.execute(table.insertSQL(rows: batch.count / table.columns.count), batch)
                batch.removeAll(keepingCapacity: true)
            }
            while try statement.step() {
                let values = table.columns.enumerated().map { index, column -> String? in
                    let column32 = Int32(index)
                    if statement.isNull(at: column32) { return nil }
                    return column.kind == .real ? statement.double(at: column32).postgreSQLText : statement.text(at: column32)
                }
                each(values)
                batch += values
                count += 1
                if count % Self.batchRows == 0 { try flush() }
            }
            try flush()
            return count
        }
    }

    /// New packs and replies get ids above every copied one, and above every pack and reply SQLite
    /// deleted (its AUTOINCREMENT for packs, `reply_ids.high` for replies), which PostgreSQL's
    /// `reply_ids` goes on refusing.
    private func moveSequences(from sqlite: SQLiteDatabase, in db: PostgreSQLConnection) throws {
        let packs = max(try sqlite.int64("SELECT max(p_id) FROM packs") ?? 0,
                        try sqlite.int64("SELECT seq FROM sqlite_sequence WHERE name = 'packs'") ?? 0)
        let deletedReplies = try sqlite.int64("SELECT high FROM reply_ids") ?? 0
        try db.execute("UPDATE reply_ids SET high = $1", [deletedReplies])
        let replies = max(try sqlite.int64("SELECT max(r_id) FROM replies") ?? 0, deletedReplies)
        for (table, column, highest) in [("packs", "p_id", packs), ("replies", "r_id", replies)] where highest > 0 {
            try db.execute("SELECT setval(pg_get_serial_sequence($1, $2), $3::bigint)", [table, column, highest])
        }
    }

    private func verifyCounts(_ rows: [(table: String, count: Int)], in db: PostgreSQLConnection) throws {
        for (table, count) in rows {
            let stored = try db.execute("SELECT count(*) FROM \(table)").first?.int64(0) ?? -1
            guard stored == Int64(count) else {
                throw CommandError("\(table): \(count) rows read but \(stored) in PostgreSQL; nothing was copied")
            }
        }
    }

    /// PostgreSQL's trigger-kept reply counts agree with SQLite's (so lists and downloads agree).
    private func verifyReplyCounts(from sqlite: SQLiteDatabase, in db: PostgreSQLConnection) throws {
        var expected: [Int64: Int64] = [:]
        try sqlite.withStatement("SELECT p_id, reply_count FROM packs") { statement in
            while try statement.step() { expected[statement.int64(at: 0)] = statement.int64(at: 1) }
        }
        for row in try db.execute("SELECT p_id, reply_count FROM packs").rows {
            let (id, count) = (try row.int64(0), try row.int64(1))
            guard expected[id] == count else {
                throw CommandError("pack \(id): SQLite's reply_count is \(expected[id].map(String.init) ?? "missing") but the "
                                   + "pack holds \(count) replies; fix the source's count first; nothing was copied")
            }
        }
    }

    /// Every reply read back from PostgreSQL inside the copy's transaction digests as its source did.
    private func verifyReplies(_ digests: [[UInt8]], in db: PostgreSQLConnection) throws {
        let table = CopiedTable.replies
        try db.execute("DECLARE copied_replies NO SCROLL CURSOR FOR SELECT \(table.columnList) FROM replies ORDER BY r_id")
        var index = 0
        while true {
            let rows = try db.execute("FETCH 500 FROM copied_replies")
            for row in rows.rows {
                let values = table.columns.indices.map { row.optionalText($0) }
                guard index < digests.count, CopiedTable.digest(values) == digests[index] else {
                    throw CommandError("reply \(values.first.flatMap { $0 } ?? "?") differs after the copy; nothing was copied")
                }
                index += 1
            }
            if rows.rowCount < 500 { break }
        }
        try db.execute("CLOSE copied_replies")
        guard index == digests.count else {
            throw CommandError("\(digests.count) replies read but \(index) in PostgreSQL; nothing was copied")
        }
    }
}
