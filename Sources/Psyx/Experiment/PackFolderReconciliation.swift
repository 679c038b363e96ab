import Foundation

/// Start-up's look at `packs/` against the database. Only what a crash can leave is deleted: a
/// folder whose create was journaled but never committed. Any other folder without a pack row is
/// moved to `quarantine/` and logged; and when the database has no pack at all while `packs/`
/// holds such folders, start-up is refused — the usual cause is a wrong or lost database path,
/// and deleting (or even moving) a whole study's images then would be the wrong answer.
struct PackFolderReconciliation {
    let data: DataDirectory
    /// The database setting as logs show it (the SQLite path, or PostgreSQL's parameters).
    let database: String
    let log: RequestLog

    struct Refusal: Error, CustomStringConvertible {
        let folders: [String]
        let database: String
        var description: String {
            let shown = folders.prefix(5).joined(separator: ", ") + (folders.count > 5 ? ", …" : "")
            return "packs/ holds \(folders.count) pack folder(s) (\(shown)) but the database \(database) has no packs: "
                + "is the data directory or the database setting wrong? Refusing to start so that no images are touched. "
                + "To start anew on purpose, move the folders out of packs/ first."
        }
    }

    /// What was done, for the tests.
    struct Outcome: Equatable {
        var removed: [String] = []
        var quarantined: [String] = []
    }

    func run(packNames: Set<String>) throws -> Outcome {
        let journal = PackJournal(directory: data.staging)
        let journaled = journal.names()
        let unknown = folders().filter { !packNames.contains($0) }.sorted()
        let strangers = unknown.filter { !journaled.contains($0) }
        if packNames.isEmpty && !strangers.isEmpty {
            throw Refusal(folders: strangers, database: database)
        }
        var outcome = Outcome()
        for name in unknown where journaled.contains(name) {
            log.note(.warning, "removing pack folder a crash left before its create committed: \(name)")
            if let parked = try PackFolder.park(data.packs + "/" + name, in: data.staging) { PackFolder.delete(parked) }
            outcome.removed.append(name)
        }
        for name in strangers {
            let target = try PackFolder.quarantine(data.packs + "/" + name, in: data.quarantine)
            log.note(.warning, "pack folder without a database row moved to \(target): \(name)")
            outcome.quarantined.append(name)
        }
        journal.clear()
        return outcome
    }

    /// The folders in `packs/` (files there are not packs and are left alone).
    private func folders() -> [String] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: data.packs)) ?? []
        return entries.filter { entry in
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: data.packs + "/" + entry, isDirectory: &isDirectory) && isDirectory.boolValue
        }
    }
}
