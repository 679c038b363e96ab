import CPostgreSQL

/// Facts about the linked libpq itself.
enum PostgreSQLLibrary {
    /// libpq's version as a number (150012 for 15.12), for health output and diagnostics.
    static var version: Int { Int(PQlibVersion()) }

    /// Whether libpq was built thread-safe; Psyx calls it from many threads (one connection each at a time).
    static var isThreadSafe: Bool { PQisthreadsafe() == 1 }
}
