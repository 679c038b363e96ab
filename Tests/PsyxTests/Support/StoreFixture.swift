import Foundation
import PsyxTestSupport
import XCTest
@testable import Psyx

/// A real experiment store for the shared store scenarios: a SQLite file in a temporary directory, or
/// a schema of its own on the test PostgreSQL server (`PSYX_TEST_POSTGRES`). Also the test's own way
/// into the same database, as a shell or another program would write it.
final class StoreFixture {
    let backend: StoreBackend
    let directory: String
    /// Keeps the PostgreSQL schema until the fixture goes.
    let schema: PostgreSQLTestSchema?
    let store: any ExperimentStore

    init(_ backend: StoreBackend, connections: Int = 4) throws {
        self.backend = backend
        directory = NSTemporaryDirectory() + "psyx-store-" + UUID().uuidString.prefix(8).lowercased()
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        schema = backend == .postgresql ? try PostgreSQLTestSchema() : nil
        store = try Self.open(backend, path: directory + "/psyx.sqlite3", schema: schema, connections: connections)
    }

    deinit { try? FileManager.default.removeItem(atPath: directory) }

    var path: String { directory + "/psyx.sqlite3" }

    /// The `--database` setting naming this database.
    var databaseSetting: String {
        schema?.connectionString ?? "sqlite:" + path
    }

    /// Another store on the same database with connections of its own: a restarted responder, or
    /// another responder beside this one.
    func openStore(connections: Int = 4) throws -> any ExperimentStore {
        try Self.open(backend, path: path, schema: schema, connections: connections)
    }

    private static func open(_ backend: StoreBackend, path: String, schema: PostgreSQLTestSchema?,
                             connections: Int) throws -> any ExperimentStore {
        switch backend {
        case .sqlite: try SQLiteStore(path: path, readerCount: connections)
        case .postgresql: try PostgreSQLStore(connection: try XCTUnwrap(schema).info, maxConnections: max(3, connections))
        }
    }

    /// Runs SQL (one statement) on a connection of the test's own.
    func execute(_ sql: String) throws {
        switch backend {
        case .sqlite:
            let db = try SQLiteDatabase(path: path, mode: .readWrite)
            db.setBusyTimeout(milliseconds: 5000)
            try db.exec(sql)
        case .postgresql:
            try XCTUnwrap(schema).connect().execute(sql)
        }
    }

    /// The first column of the first row of a query on a connection of the test's own, as text.
    func text(_ sql: String) throws -> String? {
        switch backend {
        case .sqlite: try SQLiteDatabase(path: path, mode: .readWrite).text(sql)
        case .postgresql: try XCTUnwrap(schema).connect().execute(sql).first?.optionalText(0)
        }
    }

    func count(_ table: String) throws -> Int64 {
        Int64(try text("SELECT count(*) FROM \(table)") ?? "") ?? -1
    }

    /// Whether `condition` holds — at once on SQLite; on PostgreSQL within `seconds`, as another
    /// writer's commit reaches this process's caches when its notification arrives (a moment later).
    func soon(_ seconds: Double = 5, _ condition: () throws -> Bool) rethrows -> Bool {
        guard backend == .postgresql else { return try condition() }
        let deadline = Date().addingTimeInterval(seconds)
        repeat {
            if try condition() { return true }
            usleep(2_000)
        } while Date() < deadline
        return false
    }

    /// A constraint of the database refused the statement (not some other failure).
    func isConstraintViolation(_ error: any Error) -> Bool {
        switch backend {
        case .sqlite: (error as? SQLiteError)?.isConstraint == true
        case .postgresql: (error as? PostgreSQLError)?.sqlState?.hasPrefix("23") == true
        }
    }

    /// One batch through the store's group-commit function, as `insertReply`'s leader runs it.
    func commitReplies(_ batch: [NewReply]) -> [Result<ReplyInsertOutcome, any Error>] {
        switch store {
        case let sqlite as SQLiteStore: sqlite.commitReplies(batch)
        case let postgresql as PostgreSQLStore: postgresql.commitReplies(batch)
        default: []
        }
    }

    /// Batches the store's group commit has committed.
    var committedBatches: Int {
        switch store {
        case let sqlite as SQLiteStore: sqlite.replyCommits.committedBatches
        case let postgresql as PostgreSQLStore: postgresql.replyCommits.committedBatches
        default: -1
        }
    }
}
