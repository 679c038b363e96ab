import FastCGI
import Synchronization

/// A few read-only connections for concurrent reads (WAL lets readers run beside the writer and each
/// other). A call takes the first free connection, starting at a rotating index; when all are busy
/// (a long download, or a read made from inside another read's callback) it opens a temporary
/// connection instead of waiting, so reads never deadlock on the pool.
final class SQLiteReaderPool: Sendable {
    private final class Slot: Sendable {
        let connection: Locked<SQLiteDatabase>

        init(_ connection: consuming sending SQLiteDatabase) {
            self.connection = Locked(connection)
        }
    }

    private let path: String
    private let slots: [Slot]
    private let nextSlot = Atomic<UInt>(0)

    init(path: String, count: Int) throws {
        self.path = path
        var slots: [Slot] = []
        for _ in 0..<max(1, count) {
            slots.append(Slot(try Self.open(path)))
        }
        self.slots = slots
    }

    /// Opens a connection that can only read (`query_only`), with the store's busy timeout.
    static func open(_ path: String) throws -> SQLiteDatabase {
        let db = try SQLiteDatabase(path: path, mode: .readWrite)
        db.setBusyTimeout(milliseconds: SQLiteStore.busyTimeoutMilliseconds)
        // Reads stream rows once (downloads) or hit a few indexed pages: a small page cache per reader
        // keeps memory flat when many downloads run at once (SQLite's default is 2 MB each).
        try db.exec("PRAGMA query_only = ON; PRAGMA synchronous = FULL; PRAGMA cache_size = -256;")
        return db
    }

    func withConnection<T: Sendable>(_ body: (SQLiteDatabase) throws -> T) throws -> T {
        let start = Int(nextSlot.wrappingAdd(1, ordering: .relaxed).oldValue % UInt(slots.count))
        for offset in 0..<slots.count {
            let slot = slots[(start + offset) % slots.count]
            if let result = try slot.connection.withLockIfAvailable({ db in try body(db) }) {
                return result
            }
        }
        let spare = try Self.open(path)
        return try body(spare)
    }
}
