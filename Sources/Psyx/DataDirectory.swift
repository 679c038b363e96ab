import Foundation

/// The data directory's layout (spec §1): everything Psyx writes lives here.
public struct DataDirectory: Sendable {
    public let root: String

    public init(_ root: String) { self.root = root }

    public var database: String { root + "/psyx.sqlite3" }
    public var packs: String { root + "/packs" }
    /// Uploads being checked; a folder here never survives a restart.
    public var staging: String { root + "/staging" }
    /// Folders found in `packs/` that no pack row owns and no crash explains: kept for a person.
    public var quarantine: String { root + "/quarantine" }
    /// Large request bodies on their way in.
    public var spool: String { root + "/spool" }
    public var logs: String { root + "/logs" }
    /// Storage levels of the relocation service, one folder each by default.
    public var levels: String { root + "/levels" }

    /// Creates the folders (owner-only where private) and clears what a crash may have left, but for
    /// the pack journal's entries (`PackJournal`), which start-up's reconciliation reads and clears.
    public func prepare() throws {
        let manager = FileManager.default
        try manager.createDirectory(atPath: root, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o750])
        for folder in [staging, spool, logs] {
            try manager.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
        // Pack images and level folders are served by Nginx: readable by the service group, not by the world.
        for folder in [packs, levels] {
            try manager.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o750])
        }
        for folder in [staging, spool] {
            for entry in (try? manager.contentsOfDirectory(atPath: folder)) ?? [] where !entry.hasPrefix(PackJournal.prefix) {
                try? manager.removeItem(atPath: folder + "/" + entry)
            }
        }
    }
}
