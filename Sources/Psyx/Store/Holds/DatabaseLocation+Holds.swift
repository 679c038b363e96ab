/// Where start holds live on each backend (`StartHolds`).
extension DatabaseLocation {
    /// SQLite: `holds.sqlite` beside the database file (the data directory's, by default). PostgreSQL:
    /// the server `store` uses, on its pool (one set of connections per responder).
    func startHolds(beside store: any ExperimentStore) throws -> any StartHolds {
        switch self {
        case .sqlite(let path):
            return try SQLiteHolds(path: SQLiteHolds.path(besideDatabase: path))
        case .postgresql:
            guard let postgreSQL = store as? PostgreSQLStore else {
                throw StoreError.failure("start holds on PostgreSQL need the PostgreSQL store")
            }
            return PostgreSQLHolds(pool: postgreSQL.pool)
        }
    }
}
