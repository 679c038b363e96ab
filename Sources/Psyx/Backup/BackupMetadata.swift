import Foundation

/// `backup.json` in a backup folder: what a person (or a restore) wants to know without opening the
/// database. Listed in the manifest like every other file.
struct BackupMetadata: Codable, Equatable {
    static let formatName = "psyx-backup"
    /// Raised when the folder's layout changes; a restore refuses a version it does not know.
    static let currentVersion = 1

    var format = formatName
    var formatVersion = currentVersion
    /// ISO 8601 UTC, when the database snapshot was taken.
    var created: String
    /// The database's `PRAGMA user_version`.
    var schemaVersion: Int
    var packs: Int
    var replies: Int
    /// Packs in the snapshot whose folder was removed before it could be copied: left out whole.
    var packsLeftOut: [String]

    enum CodingKeys: String, CodingKey {
        case format, created, packs, replies
        case formatVersion = "format_version"
        case schemaVersion = "schema_version"
        case packsLeftOut = "packs_left_out"
    }

    var json: [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return Array((try? encoder.encode(self)) ?? Data()) + [UInt8(ascii: "\n")]
    }

    /// Reads `backup.json`, refusing another format or a newer version than this psyx writes.
    init(json bytes: [UInt8]) throws(BackupError) {
        guard let metadata = try? JSONDecoder().decode(Self.self, from: Data(bytes)) else {
            throw .refused("\(BackupLayout.metadata) is not the metadata of a psyx backup")
        }
        guard metadata.format == Self.formatName else {
            throw .refused("\(BackupLayout.metadata) names the format \(metadata.format), not \(Self.formatName)")
        }
        guard metadata.formatVersion <= Self.currentVersion else {
            throw .refused("the backup's format version \(metadata.formatVersion) is newer than this psyx reads "
                + "(\(Self.currentVersion)): restore it with the psyx that wrote it")
        }
        self = metadata
    }

    init(created: String, schemaVersion: Int, packs: Int, replies: Int, packsLeftOut: [String]) {
        self.created = created
        self.schemaVersion = schemaVersion
        self.packs = packs
        self.replies = replies
        self.packsLeftOut = packsLeftOut
    }
}
