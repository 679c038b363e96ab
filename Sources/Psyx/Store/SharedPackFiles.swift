/// A store that keeps packs' image files itself (PostgreSQL), so that every responder sharing it
/// can make its own copy of a pack's folder; SQLite (one machine) keeps them only in `packs/`.
protocol SharedPackFiles: Sendable {
    /// Every file stored with pack `id` named `name`, by file name; nil when there is no such pack
    /// (or it was stored before its files were: nothing to copy).
    func packFileContents(id: Int64, name: String) throws -> [(name: String, bytes: [UInt8])]?
    /// Every stored file's size, by pack name and file name (no file's bytes are read).
    func packFileSizes() throws -> [String: [String: Int]]
    /// Whether pack `id` still exists under `name` (read from the database, not a cache).
    func packExists(id: Int64, name: String) throws -> Bool
}
