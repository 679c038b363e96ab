/// Where Psyx keeps its data (`--database` / `PSYX_DATABASE`): the embedded SQLite file — by default
/// the data directory's `psyx.sqlite3`, as before the setting existed — or a PostgreSQL server named by
/// a libpq URI or `key=value` string. A PostgreSQL password never goes in the setting (it would show
/// in `ps` and in unit files): libpq reads it from `PGPASSFILE`, `~/.pgpass` or `PGPASSWORD` itself.
/// Nothing here repeats a password-looking part of the text in a message.
public enum DatabaseLocation: Sendable, Equatable, CustomStringConvertible {
    case sqlite(path: String)
    case postgresql(PostgreSQLConnectionInfo)

    static let usage = "use sqlite:PATH, a postgresql:// (or postgres://) URI, or a libpq string such as "
        + "\"host=db1 dbname=psyx user=psyx\""

    /// Reads the setting; nil or empty means the data directory's SQLite file. A relative SQLite path
    /// is relative to the working directory, as `--data` is.
    public init(parsing text: String?, dataDirectory: String) throws(SettingsError) {
        guard let text, !text.isEmpty else {
            self = .sqlite(path: DataDirectory(dataDirectory).database)
            return
        }
        if text.hasPrefix("sqlite:") {
            let path = String(text.dropFirst("sqlite:".count))
            guard !path.isEmpty, !path.hasSuffix("/") else {
                throw SettingsError("--database sqlite: needs a file path, e.g. sqlite:/var/lib/psyx/psyx.sqlite3")
            }
            self = .sqlite(path: Settings.absolute(path))
        } else if text.hasPrefix("postgresql://") || text.hasPrefix("postgres://")
                    || (!text.contains("://") && text.contains("=")) {
            do {
                self = .postgresql(try PostgreSQLConnectionInfo(text))
            } catch {
                throw SettingsError("invalid --database: \(error.message)")
            }
        } else {
            let shown = PostgreSQLConnectionInfo.scrub(text, removing: PostgreSQLConnectionInfo.secretLookingParts(of: text))
            throw SettingsError("invalid --database \(shown): \(Self.usage)")
        }
    }

    /// For logs and `--help`-style messages: the SQLite path, or the PostgreSQL parameters (no password).
    public var description: String {
        switch self {
        case .sqlite(let path): "sqlite:\(path)"
        case .postgresql(let info): "postgresql (\(info.description))"
        }
    }
}
