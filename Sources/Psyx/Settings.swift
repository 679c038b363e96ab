import FastCGI
import Foundation

/// Everything configurable, from command-line flags first, then `PSYX_*` environment variables, then defaults.
public struct Settings: Sendable, Equatable {
    public var dataDirectory: String
    public var listen: ListenAddress
    /// Pairs per pack (spec §3.1: 300, so 600 files).
    public var packSize: Int
    public var maxBodyBytes: Int
    public var maxConnections: Int
    /// Seconds a participant has per trial.
    public var timeLimit: Double
    /// The file holding the relocation API's shared key; nil keeps those routes closed.
    public var relocationKeyFile: String?
    /// Free bytes the data directory's disk keeps for replies: under it pack uploads are refused (503); 0 turns it off.
    public var minFreeDiskBytes: Int
    /// The database: the data directory's SQLite file unless `--database` names another file or a
    /// PostgreSQL server.
    public var database: DatabaseLocation
    /// How long a start with a token holds its participant number, when set: instead of the pack's
    /// pairs × (time limit + 3 s) + 10 min (tests use a second or two).
    public var holdSeconds: Double?

    /// (flag, environment variable, meaning) — the source of `--help`.
    static let options: [(flag: String, variable: String, help: String)] = [
        ("--data DIR", "PSYX_DATA", "data directory (database, packs, logs) [.psyx-data]"),
        ("--listen ADDR", "PSYX_LISTEN", "unix:/path, tcp:HOST:PORT or fd:0 [unix:<data>/psyx.sock]"),
        ("--pack-size N", "PSYX_PACK_SIZE", "image pairs per pack [300]"),
        ("--time-limit S", "PSYX_TIME_LIMIT", "seconds per trial [3.0]"),
        ("--max-body BYTES", "PSYX_MAX_BODY", "largest request body [1073741824]"),
        ("--max-connections N", "PSYX_MAX_CONNECTIONS", "connections served at once; more get 503 [256]"),
        ("--relocation-key-file F", "PSYX_RELOCATION_KEY_FILE", "shared key of /post_sentence, /update_sentence [none: closed]"),
        ("--min-free-disk BYTES", "PSYX_MIN_FREE_DISK", "uploads are refused (503) while less is free in the data directory; 0: never [1073741824]"),
        ("--database URL", "PSYX_DATABASE", "sqlite:PATH, or PostgreSQL: postgresql://USER@HOST/DB or "
            + "\"host=… dbname=…\" (password only via PGPASSFILE, ~/.pgpass or PGPASSWORD) [sqlite:<data>/psyx.sqlite3]"),
        ("--hold-seconds S", "PSYX_HOLD_SECONDS", "how long a start holds its participant number [pairs × (time limit + 3 s) + 600]"),
    ]

    /// Parses options; returns the arguments that are not options (the subcommand's own words).
    public static func parse(_ arguments: [String], environment: [String: String]) throws -> (Settings, [String]) {
        var values: [String: String] = [:]
        for option in options {
            let name = String(option.flag.prefix { $0 != " " })
            values[name] = environment[option.variable]
        }
        var rest: [String] = []
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            let (name, inline) = splitInline(argument)
            if options.contains(where: { $0.flag.hasPrefix(name + " ") }) {
                if let inline {
                    values[name] = inline
                } else {
                    guard index + 1 < arguments.count else { throw SettingsError("\(name) needs a value") }
                    values[name] = arguments[index + 1]
                    index += 1
                }
            } else {
                rest.append(argument)
            }
            index += 1
        }
        return (try Settings(values), rest)
    }

    private init(_ values: [String: String]) throws {
        let data = values["--data"].flatMap { $0.isEmpty ? nil : $0 } ?? ".psyx-data"
        dataDirectory = Self.absolute(data)
        if let text = values["--listen"], !text.isEmpty {
            guard let address = ListenAddress(text) else { throw SettingsError("invalid listen address \(text)") }
            listen = address
        } else {
            listen = .unix(path: dataDirectory + "/psyx.sock")
        }
        packSize = try Self.integer(values["--pack-size"], "--pack-size", default: 300, range: 1...100_000)
        maxBodyBytes = try Self.integer(values["--max-body"], "--max-body", default: 1 << 30, range: 1024...(1 << 40))
        maxConnections = try Self.integer(values["--max-connections"], "--max-connections", default: 256, range: 1...10_000)
        minFreeDiskBytes = try Self.integer(values["--min-free-disk"], "--min-free-disk", default: 1 << 30, range: 0...(1 << 60))
        relocationKeyFile = values["--relocation-key-file"].flatMap { $0.isEmpty ? nil : Self.absolute($0) }
        database = try DatabaseLocation(parsing: values["--database"], dataDirectory: dataDirectory)
        if let text = values["--time-limit"], !text.isEmpty {
            guard let limit = Double(text), limit > 0, limit <= 600 else { throw SettingsError("invalid --time-limit \(text)") }
            timeLimit = limit
        } else {
            timeLimit = 3.0
        }
        if let text = values["--hold-seconds"], !text.isEmpty {
            guard let seconds = Double(text), seconds >= 0.1, seconds <= 7 * 86_400 else {
                throw SettingsError("invalid --hold-seconds \(text)")
            }
            holdSeconds = seconds
        } else {
            holdSeconds = nil
        }
    }

    public static var helpText: String {
        var text = """
        psyx — reverse-correlation face experiments, a FastCGI responder behind Nginx.

        Usage:
          psyx serve [options]                      run the FastCGI responder
          psyx levels set NAME MIN MAX PATH [...]   create or change storage levels (PATH relative to the data directory)
          psyx levels remove NAME                   remove an unused level
          psyx levels list
          psyx contents add CID LEVEL FILENAME      register a content file
          psyx contents list
          psyx relocate [--once] [--worker-id ID] [--lease SECONDS]   move files between levels
          psyx backup DEST                          snapshot the data directory while psyx serves (SQLite only)
          psyx restore SRC                          restore a backup into an empty data directory (--data)
          psyx database copy --to URL               copy the SQLite database into an empty PostgreSQL one
          psyx --help

        Options (flag, or environment variable):

        """
        for option in options {
            text += "  " + option.flag.padding(toLength: 22, withPad: " ", startingAt: 0)
                + option.variable.padding(toLength: 22, withPad: " ", startingAt: 0) + option.help + "\n"
        }
        return text
    }

    private static func splitInline(_ argument: String) -> (String, String?) {
        guard argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") else { return (argument, nil) }
        return (String(argument[..<equals]), String(argument[argument.index(after: equals)...]))
    }

    private static func integer(_ text: String?, _ name: String, default value: Int, range: ClosedRange<Int>) throws -> Int {
        guard let text, !text.isEmpty else { return value }
        guard let number = Int(text), range.contains(number) else { throw SettingsError("invalid \(name) \(text)") }
        return number
    }

    static func absolute(_ path: String) -> String {
        if path.hasPrefix("/") { return path }
        return FileManager.default.currentDirectoryPath + "/" + path
    }
}

public struct SettingsError: Error, Equatable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
