import Foundation
@testable import Psyx

/// A temporary data directory with a real SQLite file and the seed's example levels
/// (bronze 0–999, silver 1000–1999, gold 2000–3001) in `levels/<name>` folders.
final class RelocationFixture {
    let root: String
    let data: DataDirectory
    let sqlite: SQLiteStore
    let store: SQLiteRelocationStore

    static let exampleLevels = [
        Level(name: "bronze", minCounts: 0, maxCounts: 999, path: "levels/bronze"),
        Level(name: "silver", minCounts: 1000, maxCounts: 1999, path: "levels/silver"),
        Level(name: "gold", minCounts: 2000, maxCounts: 3001, path: "levels/gold"),
    ]

    init(levels: [Level] = RelocationFixture.exampleLevels) throws {
        root = NSTemporaryDirectory() + "psyx-reloc-" + UUID().uuidString.prefix(8).lowercased()
        data = DataDirectory(root)
        try FileManager.default.createDirectory(atPath: data.levels, withIntermediateDirectories: true)
        sqlite = try SQLiteStore(path: data.database, readerCount: 2)
        store = SQLiteRelocationStore(store: sqlite)
        if !levels.isEmpty {
            _ = try store.setLevels(levels)
        }
        for level in levels {
            try FileManager.default.createDirectory(atPath: folder(level.name), withIntermediateDirectories: true)
        }
    }

    deinit { try? FileManager.default.removeItem(atPath: root) }

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
