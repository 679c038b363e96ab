import Foundation
@testable import Psyx

/// A schema of its own on the test server, so each test starts from an empty database and tests never
/// see each other's tables; `info` points connections at it (`search_path`), and `connectionString`
/// points a `psyx` process at it (`PSYX_DATABASE`). Dropped when released.
public final class PostgreSQLTestSchema {
    public let name: String
    let server: PostgreSQLConnectionInfo
    public let info: PostgreSQLConnectionInfo
    private let admin: PostgreSQLConnection

    public init() throws {
        server = try PostgreSQLConnectionInfo(try TestPostgreSQL.connectionString())
        admin = try PostgreSQLConnection(server)
        name = "test_" + UUID().uuidString.prefix(12).lowercased().replacingOccurrences(of: "-", with: "")
        try admin.execute("CREATE SCHEMA \(name)")
        info = try server.with([(keyword: "options", value: "-c search_path=\(name)")])
    }

    /// The connection string for a `psyx` process (its password, if any, stays in PGPASSFILE).
    public var connectionString: String { info.text }

    deinit { _ = try? admin.execute("DROP SCHEMA \(name) CASCADE") }
}
