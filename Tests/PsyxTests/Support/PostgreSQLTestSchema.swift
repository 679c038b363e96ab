import Foundation
import PsyxTestSupport
@testable import Psyx

/// A schema of its own on the test server, so each test starts from an empty database and tests never
/// see each other's tables; `info` points connections at it (`search_path`). Dropped when released.
final class PostgreSQLTestSchema {
    let name: String
    let server: PostgreSQLConnectionInfo
    let info: PostgreSQLConnectionInfo
    private let admin: PostgreSQLConnection

    init() throws {
        server = try PostgreSQLConnectionInfo(try TestPostgreSQL.connectionString())
        admin = try PostgreSQLConnection(server)
        name = "test_" + UUID().uuidString.prefix(12).lowercased().replacingOccurrences(of: "-", with: "")
        try admin.execute("CREATE SCHEMA \(name)")
        info = try server.with([(keyword: "options", value: "-c search_path=\(name)")])
    }

    deinit { _ = try? admin.execute("DROP SCHEMA \(name) CASCADE") }

    /// A connection of the test's own (not the store's), to look at or disturb the database.
    func connect() throws -> PostgreSQLConnection {
        try PostgreSQLConnection(info)
    }
}
