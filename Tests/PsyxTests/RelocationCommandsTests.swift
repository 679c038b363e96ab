import Foundation
import PsyxTestSupport
import XCTest
@testable import Psyx

/// The relocation commands' argument handling and refusals, run in this process on a temporary data
/// directory (their printed tables are checked end to end).
final class RelocationCommandsTests: XCTestCase {
    var root = ""

    override func setUpWithError() throws {
        root = NSTemporaryDirectory() + "psyx-cmd-" + UUID().uuidString.prefix(8).lowercased()
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: root)
    }

    private func run(_ words: [String]) throws {
        let (settings, rest) = try Settings.parse(["--data", root] + words, environment: [:])
        try CommandDispatch.run(rest, settings: settings)
    }

    private func message(_ words: [String]) -> String? {
        do {
            try run(words)
            return nil
        } catch {
            return String(describing: error)
        }
    }

    func testRelocateArguments() throws {
        XCTAssertEqual(try RelocateCommand.parse([]), .init(once: false, workerID: nil, lease: 60))
        XCTAssertEqual(try RelocateCommand.parse(["--once", "--worker-id", "w1", "--lease", "5"]),
                       .init(once: true, workerID: "w1", lease: 5))
        XCTAssertEqual(try RelocateCommand.parse(["--worker-id=w2", "--lease=2.5"]), .init(once: false, workerID: "w2", lease: 2.5))
        for bad in [["--lease", "0"], ["--lease", "x"], ["--lease", "nan"], ["--lease"], ["--worker-id", "a b"],
                    ["--worker-id", ""], ["--once=1"], ["now"]] {
            XCTAssertThrowsError(try RelocateCommand.parse(bad), "\(bad)")
        }
        XCTAssertTrue(RelocateCommand.isValidWorkerID(RelocateCommand.defaultWorkerID()))
    }

    func testLevelsAreCreatedWithTheirFoldersAndRefusalsNameTheProblem() throws {
        try run(["levels", "set", "bronze", "0", "999", "levels/bronze", "silver", "1000", "1999", "levels/silver"])
        var isDirectory: ObjCBool = false
        XCTAssertTrue(FileManager.default.fileExists(atPath: root + "/levels/silver", isDirectory: &isDirectory))
        XCTAssertTrue(isDirectory.boolValue)
        XCTAssertEqual(message(["levels", "set", "gold", "1500", "3001", "levels/gold"]),
                       "levels overlap: silver 1000–1999 and gold 1500–3001")
        XCTAssertEqual(message(["levels", "set", "gold", "2100", "3001", "levels/gold"]), "gap between 1999 and 2100")
        XCTAssertFalse(FileManager.default.fileExists(atPath: root + "/levels/gold"), "a refused level gets no folder")
        XCTAssertEqual(message(["levels", "set", "gold", "-1", "3001", "levels/gold"]),
                       "invalid MIN of gold: -1 (a non-negative integer)")
        XCTAssertEqual(message(["levels", "set", "gold", "2000"]), RelocationCommands.levelsUsage)
        XCTAssertEqual(message(["levels", "frob"]), RelocationCommands.levelsUsage)
        XCTAssertNil(message(["levels", "list"]))
        let store = SQLiteRelocationStore(store: try SQLiteStore(path: root + "/psyx.sqlite3", readerCount: 1))
        XCTAssertEqual(try store.levelSet().levels.map(\.name), ["bronze", "silver"])
    }

    func testContentsNeedTheirFileInTheLevelFolder() throws {
        try run(["levels", "set", "bronze", "0", "999", "levels/bronze"])
        XCTAssertEqual(message(["contents", "add", "7", "bronze", "g.mp4"]), "no file g.mp4 in \(root)/levels/bronze")
        try FileManager.default.createDirectory(atPath: root + "/levels/bronze/dir.mp4", withIntermediateDirectories: true)
        XCTAssertEqual(message(["contents", "add", "7", "bronze", "dir.mp4"]), "no file dir.mp4 in \(root)/levels/bronze")
        FileManager.default.createFile(atPath: root + "/levels/bronze/g.mp4", contents: Data("g".utf8))
        XCTAssertEqual(message(["contents", "add", "x7", "bronze", "g.mp4"]), "invalid CID: x7 (a non-negative integer)")
        XCTAssertEqual(message(["contents", "add", "7", "silver", "g.mp4"]), "unknown level silver")
        XCTAssertNil(message(["contents", "add", "7", "bronze", "g.mp4"]))
        XCTAssertEqual(message(["contents", "add", "7", "bronze", "g.mp4"]), "content 7 is already registered")
        XCTAssertEqual(message(["contents", "add", "7"]), RelocationCommands.contentsUsage)
        XCTAssertNil(message(["contents", "list"]))
    }

    func testTheToolsWorkOnPostgreSQL() throws {
        let schema = try PostgreSQLTestSchema()
        let database = ["--database", schema.info.text]
        try run(database + ["levels", "set", "bronze", "0", "999", "levels/bronze", "silver", "1000", "1999", "levels/silver"])
        XCTAssertEqual(message(database + ["levels", "set", "gold", "1500", "3001", "levels/gold"]),
                       "levels overlap: silver 1000–1999 and gold 1500–3001")
        FileManager.default.createFile(atPath: root + "/levels/bronze/g.mp4", contents: Data("g".utf8))
        try run(database + ["contents", "add", "7", "bronze", "g.mp4"])
        XCTAssertNil(message(database + ["contents", "list"]))
        XCTAssertFalse(FileManager.default.fileExists(atPath: root + "/psyx.sqlite3"), "nothing went to SQLite")
        let store = try PostgreSQLRelocationStore(connection: schema.info)
        XCTAssertEqual(try store.levelSet().levels.map(\.name), ["bronze", "silver"])
        XCTAssertEqual(try store.contents().map(\.filename), ["g.mp4"])
    }

    func testTablesAreAligned() {
        var table = TextTable(["CID", "LEVEL"])
        table.add(["7", "bronze"])
        table.add(["1234", "gold"])
        XCTAssertEqual(table.text, "CID   LEVEL\n7     bronze\n1234  gold\n")
    }
}
