/// The stores on a database location: the one place that picks a backend, so the rest of Psyx sees
/// only `ExperimentStore` and `RelocationStore`.
extension DatabaseLocation {
    /// Connections one responder opens to PostgreSQL at most (both services share them), plus the
    /// change feed's own: ~30 per responder against the server's default `max_connections` of 100.
    static let responderConnections = 24

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
    /// Both services share one SQLite file (and its single writer), or one pool of PostgreSQL
    /// connections. An unreachable PostgreSQL server at start-up refuses the start (`StoreError.unavailable`):
    /// systemd's `Restart=on-failure` tries again, and the unit's log says why.
    func responderStores() throws
        -> (experiment: any ExperimentStore, relocation: any RelocationStore, ping: @Sendable () throws -> Void) {
        switch self {
        case .sqlite(let path):
            let sqlite = try SQLiteStore(path: path)
            return (sqlite, try relocationStore(sharing: sqlite, maxConnections: 1), { try sqlite.ping() })
        case .postgresql(let info):
            let pool = try PostgreSQLError.mappingToStore { try PostgreSQLPool(info, maxConnections: Self.responderConnections) }
            let experiment = try PostgreSQLStore(pool: pool)
            return (experiment, try PostgreSQLRelocationStore(pool: pool), { try experiment.ping() })
        }
    }
}
