/// The stores on a database location: the one place that picks a backend, so the rest of Psyx sees
/// only `ExperimentStore` and `RelocationStore`.
extension DatabaseLocation {
    /// Why `psyx serve` has no experiment store on PostgreSQL yet (issue 18): said at start and in the
    /// log of every experiment request, rather than quietly keeping the experiment in SQLite.
    static let experimentStoreUnavailable = "the experiment store on PostgreSQL is not available yet"

    var isPostgreSQL: Bool {
        if case .postgresql = self { return true }
        return false
    }

    /// The relocation store. On SQLite it shares `sqlite` when given (the responder's experiment store:
    /// one writer connection for the file), else opens the file itself with one reader (the tools).
    func relocationStore(sharing sqlite: SQLiteStore? = nil, maxConnections: Int) throws -> any RelocationStore {
        switch self {
        case .sqlite(let path):
            return SQLiteRelocationStore(store: try sqlite ?? SQLiteStore(path: path, readerCount: 1))
        case .postgresql(let info):
            return try PostgreSQLRelocationStore(connection: info, maxConnections: maxConnections)
        }
    }

    /// What `psyx serve` runs on: the experiment store, the relocation store and the health check.
    /// On SQLite both services share one file (and its single writer); on PostgreSQL the relocation
    /// service runs on the server and the experiment store refuses with `experimentStoreUnavailable`.
    func responderStores() throws
        -> (experiment: any ExperimentStore, relocation: any RelocationStore, ping: @Sendable () throws -> Void) {
        switch self {
        case .sqlite(let path):
            let sqlite = try SQLiteStore(path: path)
            return (sqlite, try relocationStore(sharing: sqlite, maxConnections: 1), { try sqlite.ping() })
        case .postgresql(let info):
            let relocation = try PostgreSQLRelocationStore(connection: info, maxConnections: 8)
            return (UnavailableExperimentStore(reason: Self.experimentStoreUnavailable), relocation, { try relocation.ping() })
        }
    }
}
