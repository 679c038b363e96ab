import FastCGI
import Glibc

/// The embedded default store: one SQLite file in WAL mode, written by one connection and read by a
/// small pool of others, durable at every commit (`synchronous = FULL`), readable by its owner only.
///
/// Replies are written with group commit (`GroupCommit`): concurrent `insertReply` calls share one
/// transaction, hence one fsync, and each returns only after that transaction is durable.
public final class SQLiteStore: ExperimentStore {
    static let busyTimeoutMilliseconds: Int32 = 5000

    public let path: String
    private let writer: Locked<SQLiteDatabase>
    private let readers: SQLiteReaderPool
    let replyCommits = GroupCommit<NewReply, ReplyInsertOutcome>(maxBatch: 256)
    let packCache = PackCache(capacity: 64)
    let participants = ParticipantIndex()
    private let changeWatch: ChangeWatch

    /// Opens (creating it with mode 0600 if needed) and migrates the database at `path`.
    public init(path: String, readerCount: Int = 16) throws {
        self.path = path
        do {
            try Self.prepareFile(at: path)
            let db = try SQLiteDatabase(path: path, mode: .readWrite)
            db.setBusyTimeout(milliseconds: Self.busyTimeoutMilliseconds)
            let journalMode = try db.text("PRAGMA journal_mode = WAL")
            guard journalMode?.lowercased() == "wal" else {
                throw StoreError.failure("cannot switch \(path) to WAL (journal_mode is \(journalMode ?? "unknown"))")
            }
            try db.exec("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;")
            try Migrations.run(on: db)
            writer = Locked(db)
            readers = try SQLiteReaderPool(path: path, count: readerCount)
            changeWatch = try ChangeWatch(path: path)
        } catch let error as SQLiteError {
            throw StoreError.failure("opening \(path): \(error)")
        }
    }

    /// Runs `body` on the single writer connection (one writer at a time, as SQLite allows anyway).
    /// SQLite errors become `StoreError.failure`; other errors pass through unchanged. Not reentrant:
    /// `body` (and `createPack`'s `beforeCommit`) must not call the store's write methods; reads are fine.
    @discardableResult
    func withWriter<T: Sendable>(_ body: (SQLiteDatabase) throws -> T) throws -> T {
        try Self.mappingErrors { try writer.withLock { db in try body(db) } }
    }

    /// Runs `body` on a reader connection; it never waits for the writer.
    @discardableResult
    func withReader<T: Sendable>(_ body: (SQLiteDatabase) throws -> T) throws -> T {
        try Self.mappingErrors { try readers.withConnection(body) }
    }

    static func mappingErrors<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as SQLiteError {
            throw StoreError.failure(error.description)
        }
    }

    public func ping() throws {
        _ = try withReader { db in try db.int64("SELECT 1") }
    }

    /// `PRAGMA data_version` on the store's own watching connection (`ChangeWatch`), which never
    /// writes, so every commit — by this store's writer or by any other connection or process — changes it.
    public func dataVersion() throws -> Int64? {
        try Self.mappingErrors { try changeWatch.version() }
    }

    /// The schema version recorded in the file (`PRAGMA user_version`).
    public func schemaVersion() throws -> Int {
        try withReader { db in Int(try db.int64("PRAGMA user_version") ?? 0) }
    }

    /// Creates the database file with mode 0600 before SQLite opens it: SQLite gives its `-wal` and
    /// `-shm` files the database file's mode, so all three stay readable by the service user only.
    /// An existing file (and its companions) is brought back to 0600.
    static func prepareFile(at path: String) throws {
        var created = true
        var fd = Glibc.open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if fd < 0 && errno == EEXIST {
            created = false
            fd = Glibc.open(path, O_RDWR | O_CLOEXEC)
        }
        guard fd >= 0 else { throw StoreError.failure("cannot open \(path): \(systemError())") }
        defer { Glibc.close(fd) }
        guard fchmod(fd, 0o600) == 0 else { throw StoreError.failure("cannot chmod \(path): \(systemError())") }
        for companion in [path + "-wal", path + "-shm"] where chmod(companion, 0o600) != 0 && errno != ENOENT {
            throw StoreError.failure("cannot chmod \(companion): \(systemError())")
        }
        if created {
            try syncDirectory(containing: path)
        }
    }

    /// Makes a newly created file's directory entry durable.
    private static func syncDirectory(containing path: String) throws {
        let directory = path.contains("/") ? String(path[..<(path.lastIndex(of: "/") ?? path.endIndex)]) : "."
        let fd = Glibc.open(directory.isEmpty ? "/" : directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw StoreError.failure("cannot open \(directory): \(systemError())") }
        defer { Glibc.close(fd) }
        guard fsync(fd) == 0 else { throw StoreError.failure("cannot sync \(directory): \(systemError())") }
    }

    private static func systemError() -> String {
        String(cString: strerror(errno))
    }
}
