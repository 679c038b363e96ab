/// A store that keeps packs' image files itself (PostgreSQL), so that every responder sharing it
/// can make its own copy of a pack's folder; SQLite (one machine) keeps them only in `packs/`.
protocol SharedPackFiles: Sendable {
    /// The names of the files stored with pack `id` named `name`; nil when there is no such pack
    /// (or it was stored before its files were: nothing to copy).
    func packFileNames(id: Int64, name: String) throws -> [String]?
    /// One stored file's bytes (one at a time: a pack is 30-300 MB); nil when it is gone.
    func packFile(id: Int64, file: String) throws -> [UInt8]?
    /// Every stored file's size, by pack name and file name (no file's bytes are read).
    func packFileSizes() throws -> [String: [String: Int]]
    /// Whether pack `id` still exists under `name` (read from the database, not a cache).
    func packExists(id: Int64, name: String) throws -> Bool
}
