import PsyxTestSupport
@testable import Psyx

extension PostgreSQLTestSchema {
    /// A connection of the test's own (not the store's), to look at or disturb the database.
    func connect() throws -> PostgreSQLConnection {
        try PostgreSQLConnection(info)
    }
}
