/// What a backup folder holds, relative to it: the database, the metadata, each pack's files, and
/// the manifest (`BackupManifest`) listing all of them but itself.
enum BackupLayout {
    static let database = "psyx.sqlite3"
    static let metadata = "backup.json"
    static let packs = "packs"

    static func packFile(_ pack: String, _ file: String) -> String {
        packs + "/" + pack + "/" + file
    }

    /// Whether `path` is a file a backup may hold: a restore refuses anything else.
    static func isKnown(_ path: String) -> Bool {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        return path == database || path == metadata || (parts.count == 3 && parts[0] == Substring(packs))
    }

    /// Refuses a path that could reach outside the backup folder or that `sha256sum` would escape:
    /// absolute, empty, `.` or `..` parts, control characters, backslashes, over-long names.
    static func checkSafe(_ path: String, where place: String) throws(BackupError) {
        guard !path.isEmpty, !path.hasPrefix("/") else { throw .refused("\(place): \(path.isEmpty ? "an empty path" : path) is not a relative path") }
        for part in path.split(separator: "/", omittingEmptySubsequences: false) {
            guard !part.isEmpty, part != ".", part != "..", part.utf8.count <= 255 else {
                throw .refused("\(place): \(path) leaves the backup folder or has an empty, `.` or `..` part")
            }
        }
        guard !path.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F || $0 == "\\" }) else {
            throw .refused("\(place): the path holds a control character or a backslash")
        }
    }
}
