import Foundation

/// `psyx levels …`, `psyx contents …` and `psyx relocate …`: the relocation service's tools. They take
/// the data directory and the database as `psyx serve` does (`--data`/`PSYX_DATA`, `--database`/
/// `PSYX_DATABASE`: SQLite or PostgreSQL) and open only the database (not the whole application: no
/// folder is cleared, so they are safe beside a running server).
public enum RelocationCommands {
    static let levelsUsage = """
        usage: psyx levels set NAME MIN MAX PATH [NAME MIN MAX PATH ...]
               psyx levels remove NAME
               psyx levels list
        PATH is absolute or relative to the data directory; levels/NAME is the layout nginx/psyx.conf serves.
        """
    static let contentsUsage = """
        usage: psyx contents add CID LEVEL FILENAME   (the file must already be in the level's folder)
               psyx contents list
        """

    public static func run(_ words: [String], settings: Settings) throws {
        switch words.first {
        case "levels": try levels(Array(words.dropFirst()), settings: settings)
        case "contents": try contents(Array(words.dropFirst()), settings: settings)
        case "relocate": try RelocateCommand.run(Array(words.dropFirst()), settings: settings)
        default: throw CommandError("unknown command \(words.first ?? ""); see psyx --help")
        }
    }

    /// The store on the configured database, creating the data directory and `levels/` if needed.
    static func openStore(_ settings: Settings) throws -> any RelocationStore {
        let data = DataDirectory(settings.dataDirectory)
        let manager = FileManager.default
        for folder in [data.root, data.levels] where !manager.fileExists(atPath: folder) {
            try manager.createDirectory(atPath: folder, withIntermediateDirectories: true,
                                        attributes: [.posixPermissions: 0o750])
        }
        return try settings.database.relocationStore(maxConnections: 2)
    }

    static func levels(_ words: [String], settings: Settings) throws {
        let data = DataDirectory(settings.dataDirectory)
        switch words.first {
        case "set":
            let arguments = Array(words.dropFirst())
            guard !arguments.isEmpty, arguments.count % 4 == 0 else { throw CommandError(levelsUsage) }
            var changes: [Level] = []
            for start in stride(from: 0, to: arguments.count, by: 4) {
                let name = arguments[start]
                changes.append(Level(name: name, minCounts: try count(arguments[start + 1], "MIN of \(name)"),
                                     maxCounts: try count(arguments[start + 2], "MAX of \(name)"),
                                     path: arguments[start + 3]))
            }
            let store = try openStore(settings)
            let previous = try store.levelSet()
            let levels = try store.setLevels(changes)
            let held = Dictionary(grouping: try store.contents(), by: \.level).mapValues(\.count)
            for level in changes {
                if let old = previous.level(named: level.name), old.folder(dataRoot: data.root) != level.folder(dataRoot: data.root),
                   let count = held[level.name], count > 0 {
                    print("note: level \(level.name) now uses \(level.folder(dataRoot: data.root)); move its \(count) file(s) "
                        + "there from \(old.folder(dataRoot: data.root)) yourself")
                }
            }
            for level in changes {
                let folder = level.folder(dataRoot: data.root)
                if !FileManager.default.fileExists(atPath: folder) {
                    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true,
                                                            attributes: [.posixPermissions: 0o750])
                }
            }
            print(try levelTable(levels, store: store, data: data), terminator: "")
        case "remove":
            guard words.count == 2 else { throw CommandError(levelsUsage) }
            let store = try openStore(settings)
            let levels = try store.removeLevel(named: words[1])
            print("level \(words[1]) removed (its folder is left as it is)")
            print(try levelTable(levels, store: store, data: data), terminator: "")
        case "list":
            guard words.count == 1 else { throw CommandError(levelsUsage) }
            let store = try openStore(settings)
            print(try levelTable(try store.levelSet(), store: store, data: data), terminator: "")
        default:
            throw CommandError(levelsUsage)
        }
    }

    static func contents(_ words: [String], settings: Settings) throws {
        let data = DataDirectory(settings.dataDirectory)
        switch words.first {
        case "add":
            guard words.count == 4 else { throw CommandError(contentsUsage) }
            let cid = try count(words[1], "CID")
            let store = try openStore(settings)
            let content = try store.addContent(cid: cid, level: words[2], filename: words[3],
                                               now: Date().timeIntervalSince1970) { level in
                let folder = level.folder(dataRoot: data.root)
                guard FileStatus.of(folder + "/" + words[3])?.isRegularFile == true else {
                    throw RelocationError.fileMissing(filename: words[3], folder: folder)
                }
            }
            print("content \(content.cid) added: \(content.filename) in level \(content.level)")
        case "list":
            guard words.count == 1 else { throw CommandError(contentsUsage) }
            let store = try openStore(settings)
            print(try contentTable(store), terminator: "")
        default:
            throw CommandError(contentsUsage)
        }
    }

    /// A non-negative integer argument.
    static func count(_ text: String, _ what: String) throws -> Int64 {
        guard !text.isEmpty, text.utf8.allSatisfy({ (0x30...0x39).contains($0) }), let value = Int64(text) else {
            throw CommandError("invalid \(what): \(text) (a non-negative integer)")
        }
        return value
    }

    static func levelTable(_ levels: LevelSet, store: any RelocationStore, data: DataDirectory) throws -> String {
        guard !levels.levels.isEmpty else { return "no levels defined\n" }
        let held = Dictionary(grouping: try store.contents(), by: \.level).mapValues(\.count)
        var table = TextTable(["LEVEL", "MIN", "MAX", "CONTENTS", "FOLDER"])
        for level in levels.levels {
            table.add([level.name, String(level.minCounts), String(level.maxCounts), String(held[level.name] ?? 0),
                       level.folder(dataRoot: data.root)])
        }
        return table.text
    }

    static func contentTable(_ store: any RelocationStore) throws -> String {
        let contents = try store.contents()
        guard !contents.isEmpty else { return "no contents registered\n" }
        let jobs = Dictionary(try store.jobs().map { ($0.cid, $0) }, uniquingKeysWith: { first, _ in first })
        var table = TextTable(["CID", "LEVEL", "FILENAME", "GENERATED", "UPDATED", "JOB"])
        for content in contents {
            var job = "-"
            if let pending = jobs[content.cid] {
                job = "\(pending.status.rawValue) → \(pending.target) (count \(pending.count)"
                    + (pending.workerID.map { ", worker \($0))" } ?? ")")
            }
            table.add([String(content.cid), content.level, content.filename, content.generateTime, content.updateTime, job])
        }
        return table.text
    }
}
