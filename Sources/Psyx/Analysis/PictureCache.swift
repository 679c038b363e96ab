/// Encoded CI pictures of one pack, so asking again for the same picture costs nothing.
/// Pictures that depend on the set of replies carry the `ReplyState.version` they were made from
/// (it grows at every new and every deleted reply) and are dropped once a newer one is stored; the
/// whole cache empties past `limit` bytes, and at a withdrawal (`PackAnalysis.sync`).
struct PictureCache: Sendable {
    struct Key: Hashable, Sendable {
        var replyID: Int64?
        var scaling: CIScaling
        var size: Int?
        /// The `ReplyState.version` the picture was made from; 0 when no other reply changes it.
        var version: Int
    }

    static let limit = 8 << 20

    private var pictures: [Key: [UInt8]] = [:]
    private var bytes = 0

    subscript(key: Key) -> [UInt8]? { pictures[key] }

    mutating func store(_ png: [UInt8], for key: Key) {
        if key.version > 0 {
            for old in pictures.keys where old.version > 0 && old.version < key.version {
                bytes -= pictures.removeValue(forKey: old)?.count ?? 0
            }
        }
        if bytes + png.count > Self.limit {
            pictures.removeAll()
            bytes = 0
        }
        bytes += png.count - (pictures.updateValue(png, forKey: key)?.count ?? 0)
    }
}
