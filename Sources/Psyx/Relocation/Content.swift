/// A registered content file: which level's folder holds it now, under which plain file name.
public struct Content: Sendable, Equatable {
    public var cid: Int64
    /// `content_level`: the level whose folder holds the file.
    public var level: String
    /// A plain name inside the level folder (no `/`), served as `/contents/<filename>`.
    public var filename: String
    /// ISO 8601 UTC with milliseconds (`2026-03-01T09:30:00.125Z`).
    public var generateTime: String
    public var updateTime: String

    public init(cid: Int64, level: String, filename: String, generateTime: String, updateTime: String) {
        self.cid = cid
        self.level = level
        self.filename = filename
        self.generateTime = generateTime
        self.updateTime = updateTime
    }

    /// Whether a name can be a content file: one path component that Nginx's `/contents/` can serve,
    /// not hidden (the mover's temporary files start with `.`), and short enough to leave room for
    /// the temporary name's suffix within NAME_MAX.
    public static func isValidFilename(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard (1...200).contains(bytes.count), bytes.first != UInt8(ascii: ".") else { return false }
        return !bytes.contains { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "\\") || $0 < 0x20 || $0 == 0x7F }
    }
}
