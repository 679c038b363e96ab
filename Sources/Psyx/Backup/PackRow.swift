/// A pack as a backup or a restore sees it in a database: its id, name, reply count and the files
/// its pairs name (what its folder must hold).
struct PackRow: Sendable, Equatable {
    var id: Int64
    var name: String
    var replyCount: Int
    var files: Set<String>

    /// Every pack of `db`, by id.
    static func all(in db: SQLiteDatabase) throws -> [PackRow] {
        var rows = try db.withStatement("SELECT p_id, pack_name, reply_count FROM packs ORDER BY p_id") { statement in
            var rows: [PackRow] = []
            while try statement.step() {
                rows.append(PackRow(id: statement.int64(at: 0), name: statement.text(at: 1),
                                    replyCount: statement.int(at: 2), files: []))
            }
            return rows
        }
        for index in rows.indices {
            rows[index].files = try db.withStatement("SELECT ori, inv FROM pack_pairs WHERE p_id = ?1") { statement in
                try statement.bind(rows[index].id, at: 1)
                var files = Set<String>()
                while try statement.step() {
                    files.insert(statement.text(at: 0))
                    files.insert(statement.text(at: 1))
                }
                return files
            }
        }
        return rows
    }

    /// The number of replies in `db`, and its schema version.
    static func totals(in db: SQLiteDatabase) throws -> (replies: Int, schemaVersion: Int) {
        (Int(try db.int64("SELECT COUNT(*) FROM replies") ?? 0), Int(try db.int64("PRAGMA user_version") ?? 0))
    }
}
