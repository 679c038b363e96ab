import Foundation

/// The PostgreSQL server the tests run against, named by `PSYX_TEST_POSTGRES` (its password, if any,
/// in `PGPASSFILE`). `nginx/dev test` starts a throw-away server and sets both. A test that needs the
/// server fails without it — in CI and on a developer's machine alike — with a message saying how to
/// get one: a store test that silently did not run would look like a passing one.
public enum TestPostgreSQL {
    public static let variable = "PSYX_TEST_POSTGRES"

    public struct Missing: Error, CustomStringConvertible {
        public var description: String {
            "\(TestPostgreSQL.variable) is not set, and this test needs a PostgreSQL server. `nginx/dev test` starts one "
                + "for its run; to run tests by hand: eval \"$(nginx/dev postgres start)\" then swift test "
                + "(nginx/dev postgres stop afterwards)."
        }
    }

    /// The connection string, or `Missing`.
    public static func connectionString() throws -> String {
        guard let text = ProcessInfo.processInfo.environment[variable], !text.isEmpty else { throw Missing() }
        return text
    }
}
