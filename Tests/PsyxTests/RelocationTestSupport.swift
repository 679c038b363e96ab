import Foundation
import PsyxTestSupport
import XCTest
@testable import Psyx

/// A temporary data directory and a real database — a SQLite file in it, or a schema of its own on
/// the test PostgreSQL server — with the seed's example levels (bronze 0–999, silver 1000–1999,
/// gold 2000–3001) in `levels/<name>` folders.
final class RelocationFixture {
    let root: String
    let data: DataDirectory
    let backend: StoreBackend
    let store: any RelocationStore
    /// Keeps the PostgreSQL schema until the fixture goes.
    private let schema: PostgreSQLTestSchema?

    static let exampleLevels = [
        Level(name: "bronze", minCounts: 0, maxCounts: 999, path: "levels/bronze"),
        Level(name: "silver", minCounts: 1000, maxCounts: 1999, path: "levels/silver"),
        Level(name: "gold", minCounts: 2000, maxCounts: 3001, path: "levels/gold"),
    ]

    init(_ backend: StoreBackend = .sqlite, levels: [Level] = RelocationFixture.exampleLevels) throws {
        root = NSTemporaryDirectory() + "psyx-reloc-" + UUID().uuidString.prefix(8).lowercased()
        data = DataDirectory(root)
        self.backend = backend
        try FileManager.default.createDirectory(atPath: data.levels, withIntermediateDirectories: true)
        switch backend {
        case .sqlite:
            schema = nil
            store = SQLiteRelocationStore(store: try SQLiteStore(path: data.database, readerCount: 2))
        case .postgresql:
            let schema = try PostgreSQLTestSchema()
            self.schema = schema
            store = try PostgreSQLRelocationStore(connection: schema.info, maxConnections: 4)
        }
        if !levels.isEmpty {
            _ = try store.setLevels(levels)
        }
        for level in levels {
            try FileManager.default.createDirectory(atPath: folder(level.name), withIntermediateDirectories: true)
        }
    }

    deinit { try? FileManager.default.removeItem(atPath: root) }

    /// Another store on the same database with connections of its own, as another process opens it.
    func openAnotherStore() throws -> any RelocationStore {
        switch backend {
        case .sqlite: SQLiteRelocationStore(store: try SQLiteStore(path: data.database, readerCount: 1))
        case .postgresql: try PostgreSQLRelocationStore(connection: try XCTUnwrap(schema).info, maxConnections: 2)
        }
    }

    /// A connection of the test's own to the PostgreSQL schema (PostgreSQL fixtures only).
    func postgreSQLConnection() throws -> PostgreSQLConnection {
        try XCTUnwrap(schema, "a PostgreSQL fixture").connect()
    }

    func folder(_ level: String) -> String { data.levels + "/" + level }

    /// Writes the file into the level's folder and registers it.
    @discardableResult
    func addContent(_ cid: Int64, in level: String, _ filename: String, bytes: [UInt8]? = nil) throws -> Content {
        let contents = bytes ?? Array("content \(cid)\n".utf8)
        try Data(contents).write(to: URL(fileURLWithPath: folder(level) + "/" + filename))
        return try store.addContent(cid: cid, level: level, filename: filename, now: 1_700_000_000) { _ in }
    }

    /// Which level folders hold `filename` (regular files only), and any temporary copies anywhere.
    func holders(of filename: String) -> [String] {
        ["bronze", "silver", "gold"].filter { FileManager.default.fileExists(atPath: folder($0) + "/" + filename) }
    }

    var partialFiles: [String] {
        ["bronze", "silver", "gold"].flatMap { level in
            ((try? FileManager.default.contentsOfDirectory(atPath: folder(level))) ?? []).filter(FileMover.isPartialName)
        }
    }

    /// Everything the relocation tables hold, to prove a refused request changed nothing.
    struct Snapshot: Equatable {
        var levels: [Level]
        var contents: [Content]
        var jobs: [RelocationJob]
    }

    func snapshot() throws -> Snapshot {
        Snapshot(levels: try store.levelSet().levels, contents: try store.contents(), jobs: try store.jobs())
    }
}
