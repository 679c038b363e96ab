/// One table `psyx database copy` moves from SQLite to PostgreSQL: its columns as both schemas name
/// them, and the order its rows are read in. Ids are copied as they are, so every link between rows
/// (and every id a researcher has noted) stays the same.
struct CopiedTable: Sendable {
    enum Kind: Sendable {
        case integer, text, real, boolean

        /// The PostgreSQL type a parameter is cast to.
        var cast: String {
            switch self {
            case .integer: "bigint"
            case .text: "text"
            case .real: "double precision"
            case .boolean: "boolean"   // SQLite's 0 and 1 read as text: PostgreSQL's boolean takes '0' and '1'
            }
        }
    }

    let name: String
    let columns: [(name: String, kind: Kind)]
    let order: String

    var columnList: String { columns.map(\.name).joined(separator: ", ") }

    /// In the order the foreign keys need (levels before contents before jobs, packs before replies).
    /// `reply_count` is not copied: PostgreSQL's trigger counts the replies as they arrive, and the
    /// copy checks the result against SQLite's count.
    static let all: [CopiedTable] = [
        CopiedTable(name: "packs", columns: [("p_id", .integer), ("pack_name", .text), ("sex", .integer),
                                             ("age_min", .integer), ("age_max", .integer), ("date", .text), ("open", .boolean),
                                             ("replies_deleted", .integer), ("settings", .text)], order: "p_id"),
        CopiedTable(name: "pack_pairs", columns: [("p_id", .integer), ("number", .integer), ("ori", .text), ("inv", .text)],
                    order: "p_id, number"),
        replies,
        CopiedTable(name: "levels", columns: [("content_level", .text), ("min_counts", .integer), ("max_counts", .integer),
                                              ("path", .text)], order: "min_counts"),
        CopiedTable(name: "contents", columns: [("cid", .integer), ("content_level", .text), ("filename", .text),
                                                ("generate_time", .text), ("update_time", .text)], order: "cid"),
        CopiedTable(name: "relocation_jobs", columns: [("cid", .integer), ("count", .integer), ("target", .text),
                                                       ("db_level", .text), ("filename", .text), ("worker_id", .text),
                                                       ("status", .text), ("lease_expires", .real)], order: "cid"),
    ]

    static let replies = CopiedTable(
        name: "replies",
        columns: [("r_id", .integer), ("p_id", .integer), ("name", .text), ("email", .text), ("no", .text), ("sex", .integer),
                  ("age", .integer), ("phone", .text), ("date", .text), ("answers", .text), ("submission_id", .text),
                  ("layout", .text), ("no_folded", .text), ("recruitment", .text), ("consented_at", .text),
                  ("consent_version", .text), ("input", .text)],
        order: "r_id")

    /// `INSERT … VALUES (…), (…)` for `rows` rows, each value a cast parameter.
    func insertSQL(rows: Int) -> String {
        var values: [String] = []
        values.reserveCapacity(rows)
        for row in 0..<rows {
            let first = row * columns.count
            values.append("(" + columns.enumerated().map { "$\(first + $0.offset + 1)::\($0.element.kind.cast)" }
                .joined(separator: ", ") + ")")
        }
        return "INSERT INTO \(name) (\(columnList)) VALUES " + values.joined(separator: ", ")
    }

    /// A row's SHA-256 over its values as text, each length-prefixed (NULL apart from ""), so two
    /// rows digest alike exactly when every value is the same.
    static func digest(_ values: [String?]) -> [UInt8] {
        var hasher = SHA256()
        for value in values {
            if let value {
                hasher.update(Array("\(value.utf8.count):".utf8))
                hasher.update(value.utf8)
            } else {
                hasher.update(Array("-".utf8))
            }
        }
        return hasher.finalize()
    }
}
