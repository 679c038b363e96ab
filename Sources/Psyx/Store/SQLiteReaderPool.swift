import FastCGI
import Synchronization

/// Read-only connections for concurrent reads (WAL lets readers run beside the writer and each
/// other). A call takes the first free connection, starting at a rotating index.
///
/// `count` connections open at start; when all are busy, the pool opens another into one of its
/// spare places (up to `maxCount`) and keeps it, so a burst of concurrent requests pays for opening
/// a connection once, not on every request. Only beyond `maxCount` busy readers (or for a read made
/// from inside another read's callback, when every place is taken) is a temporary connection opened
/// and closed again: reads never wait for each other, so they can never deadlock on the pool.
final class SQLiteReaderPool: Sendable {
    private final class Slot: Sendable {
        /// nil until the pool first needs this place.
        let connection: Locked<SQLiteDatabase?>
        /// Set once `connection` is open, so a read skips unopened places without taking their lock.
        let isOpen: Atomic<Bool>

        init(_ connection: SQLiteDatabase?) {
            self.connection = Locked(connection)
            isOpen = Atomic(connection != nil)
        }
    }

    private let path: String
    private let slots: [Slot]
    private let nextSlot = Atomic<UInt>(0)

    init(path: String, count: Int, maxCount: Int = 64) throws {
        self.path = path
        let opened = max(1, count)
        var slots: [Slot] = []
        for index in 0..<max(opened, maxCount) {
            slots.append(Slot(index < opened ? try Self.open(path) : nil))
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
            guard slot.isOpen.load(ordering: .acquiring) else { continue }
            if let result = try slot.connection.withLockIfAvailable({ connection -> T? in
                guard let db = connection else { return nil }
                return try body(db)
            }) ?? nil {
                return result
            }
        }
        // Every open connection is busy: open one into a spare place, else a temporary one.
        for slot in slots {
            if let result = try slot.connection.withLockIfAvailable({ connection -> T? in
                guard connection == nil else { return nil }
                let db = try Self.open(path)
                connection = db
                slot.isOpen.store(true, ordering: .releasing)
                return try body(db)
            }) ?? nil {
                return result
            }
        }
        return try body(try Self.open(path))
    }

    /// Connections open in the pool now (for tests).
    var openCount: Int {
        slots.reduce(0) { count, slot in count + (slot.connection.withLock { $0 == nil ? 0 : 1 }) }
    }
}
