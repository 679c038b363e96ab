import Foundation

/// `psyx database copy --to URL`: moves an installation from its SQLite database (the data
/// directory's, or `--database sqlite:PATH`) to an empty PostgreSQL database, then says what it
/// copied and checked. Stop psyx first: replies submitted after the copy's snapshot stay in SQLite.
enum DatabaseCommands {
    static let usage = """
        usage: psyx database copy --to URL
               copies the SQLite database (--data DIR, or --database sqlite:PATH) into the empty PostgreSQL
               database URL (postgresql://USER@HOST/DB or "host=… dbname=…"; password via PGPASSFILE)
        """

    static func run(_ words: [String], settings: Settings) throws {
        guard words.count >= 2, words[1] == "copy" else { throw CommandError(usage) }
        let target = try Self.target(Array(words.dropFirst(2)), settings: settings)
        guard case .sqlite(let source) = settings.database else {
            throw CommandError("psyx database copy reads a SQLite database: give --database sqlite:PATH, or none for "
                               + "the data directory's psyx.sqlite3 (PSYX_DATABASE names PostgreSQL here)")
        }
        let started = Date()
        let outcome: DatabaseCopy.Outcome
        do {
            outcome = try DatabaseCopy(source: source, target: target,
                                       packsFolder: DataDirectory(settings.dataDirectory).packs).run()
        } catch let error as PostgreSQLError {
            throw CommandError("copy failed, nothing was copied: \(error)")
        } catch let error as SQLiteError {
            throw CommandError("copy failed, nothing was copied: reading \(source): \(error)")
        }
        print(summary(outcome, from: source, to: target, data: settings.dataDirectory, started: started), terminator: "")
    }

    /// The URL after `--to` (or `--to=URL`): PostgreSQL, checked as `--database` is (no password in it).
    private static func target(_ arguments: [String], settings: Settings) throws -> PostgreSQLConnectionInfo {
        var text: String?
        if arguments.count == 2, arguments[0] == "--to" {
            text = arguments[1]
        } else if arguments.count == 1, arguments[0].hasPrefix("--to=") {
            text = String(arguments[0].dropFirst("--to=".count))
        }
        guard let text, !text.isEmpty else { throw CommandError(usage) }
        let location: DatabaseLocation
        do {
            location = try DatabaseLocation(parsing: text, dataDirectory: settings.dataDirectory)
        } catch {
            throw CommandError(error.description.replacingOccurrences(of: "--database", with: "--to"))
        }
        guard case .postgresql(let info) = location else { throw CommandError("--to must name a PostgreSQL database\n" + usage) }
        return info
    }

    static func summary(_ outcome: DatabaseCopy.Outcome, from source: String, to target: PostgreSQLConnectionInfo,
                        data: String, started: Date) -> String {
        var text = "copied sqlite:\(source) into postgresql (\(target)) in one transaction\n"
        for (table, count) in outcome.rows {
            text += "  " + table.padding(toLength: 16, withPad: " ", startingAt: 0) + String(count)
            if table == CopiedTable.replies.name { text += "  (each reply's SHA-256 checked; all: \(outcome.repliesDigest.prefix(16)))" }
            text += "\n"
        }
        text += "  pack_files      \(outcome.packFiles)  (the pack folders' files, so that every responder can serve them)\n"
        if !outcome.packsWithoutFolder.isEmpty {
            text += "  no folder in packs/ (no files stored) for: \(outcome.packsWithoutFolder.joined(separator: ", "))\n"
        }
        text += "checked: every table's count, every pack's reply count, every reply's SHA-256; ids kept\n"
            + "took \(ByteCount.seconds(since: started)); the pack folders stay in \(data)/packs too\n"
            + "next: run psyx with --database (PSYX_DATABASE) set to the PostgreSQL URL\n"
        return text
    }
}
