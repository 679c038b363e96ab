import FastCGI
import Foundation
import PsyxTestSupport
import XCTest
@testable import Psyx

/// Start-up's reconciliation of `packs/` with the database (issue 17, item 7): only a crash's
/// journaled leftover is deleted; anything else is kept, and a database without packs beside
/// pack folders stops start-up instead of costing a study's images.
///
/// Every test runs on SQLite and on PostgreSQL (a schema of its own on the test server): the pack
/// folders stay in the data directory whichever database holds the rows.
final class PackFolderStartupTests: XCTestCase {
    private var directory = ""
    /// The PostgreSQL schema of the backend being tested; nil on SQLite.
    private var schema: PostgreSQLTestSchema?

    /// Runs `body` once per backend, each time on a new data directory (and schema).
    private func onEachBackend(_ body: () throws -> Void) throws {
        for backend in [StoreBackend.sqlite, .postgresql] {
            directory = NSTemporaryDirectory() + "psyx-startup-" + UUID().uuidString
            schema = backend == .postgresql ? try PostgreSQLTestSchema() : nil
            defer {
                try? FileManager.default.removeItem(atPath: directory)
                schema = nil
            }
            let failures = testRun?.failureCount ?? 0
            do { try body() } catch { XCTFail("\(error)") }
            if (testRun?.failureCount ?? 0) > failures { XCTFail("the failures above are on \(backend.rawValue)") }
        }
    }

    private func open() throws -> Application {
        let database = schema.map { ["--database", $0.connectionString] } ?? []
        let (settings, _) = try Settings.parse(["--data", directory, "--pack-size", "3"] + database, environment: [:])
        return try Application(settings: settings)
    }

    private func upload(_ name: String, ages: (String, String), to app: Application) {
        var fixture = PackFixture(name: name, pairs: 3)
        fixture.ageMin = ages.0
        fixture.ageMax = ages.1
        let body = fixture.body()
        let answer = app.makeResponder().respond(to: Request(params: Params([
            "REQUEST_METHOD": "POST", "DOCUMENT_URI": "/api/admin/create", "REQUEST_URI": "/api/admin/create",
            "CONTENT_LENGTH": String(body.bytes.count), "CONTENT_TYPE": body.contentType, "REMOTE_USER": "admin",
        ]), body: RequestBody(body.bytes)))
        XCTAssertEqual(answer.status, 200)
    }

    private func files(_ relative: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory + "/" + relative)) ?? []).sorted()
    }

    /// The database is lost, or the setting names another one: SQLite's file removed, PostgreSQL's
    /// setting pointed at a new, empty schema.
    private func removeDatabase() throws {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: directory + "/psyx.sqlite3" + suffix) }
        if schema != nil { schema = try PostgreSQLTestSchema() }
    }

    /// An operator's typo or a lost file: every image stays where it was and psyx says why it stops.
    func testMissingDatabaseKeepsEveryImageAndRefusesToStart() throws {
        try onEachBackend {
            do {
                let app = try open()
                upload("first", ages: ("20", "29"), to: app)
                upload("second", ages: ("30", "39"), to: app)
            }
            let before = files("packs/first") + files("packs/second")
            XCTAssertEqual(before.count, 12)
            try removeDatabase()

            XCTAssertThrowsError(try open()) { error in
                let text = String(describing: error)
                XCTAssertTrue(text.contains("first") && text.contains("second") && text.contains("no packs"), text)
            }
            XCTAssertEqual(files("packs"), ["first", "second"])
            XCTAssertEqual(files("packs/first") + files("packs/second"), before)
            XCTAssertEqual(files("quarantine"), [])
            // And again: refusing does not become accepting once the new, empty database exists.
            XCTAssertThrowsError(try open())
            XCTAssertEqual(files("packs"), ["first", "second"])
        }
    }

    /// A folder nobody can explain, beside real packs, is moved aside whole and logged, not deleted.
    func testUnknownFolderIsQuarantinedNotDeleted() throws {
        try onEachBackend {
            do { upload("kept", ages: ("20", "29"), to: try open()) }
            let stranger = directory + "/packs/stranger"
            try FileManager.default.createDirectory(atPath: stranger, withIntermediateDirectories: true)
            try Data([1, 2, 3]).write(to: URL(fileURLWithPath: stranger + "/face.jpg"))

            _ = try open()
            XCTAssertEqual(files("packs"), ["kept"])
            let moved = files("quarantine")
            XCTAssertEqual(moved.count, 1)
            XCTAssertTrue(moved[0].hasPrefix("stranger-"), "\(moved)")
            XCTAssertEqual(files("quarantine/" + moved[0]), ["face.jpg"])
            let log = try String(contentsOfFile: directory + "/logs/api.log", encoding: .utf8)
            XCTAssertTrue(log.contains("moved to") && log.contains("stranger"), log)
        }
    }

    /// What a crash between the rename into `packs/` and the commit leaves: journaled, so removed.
    func testJournaledCrashLeftoverIsRemoved() throws {
        try onEachBackend {
            do { upload("kept", ages: ("20", "29"), to: try open()) }
            let leftover = directory + "/packs/halfway"
            try FileManager.default.createDirectory(atPath: leftover, withIntermediateDirectories: true)
            try PackJournal(directory: directory + "/staging").begin("halfway")

            _ = try open()
            XCTAssertEqual(files("packs"), ["kept"])
            XCTAssertEqual(files("quarantine"), [])
            XCTAssertEqual(files("staging"), [], "the journal is cleared once read")
        }
    }

    /// The very first pack's create crashed before its commit: no pack rows, but the folder is
    /// explained by the journal, so start-up goes on (and removes it).
    func testJournaledLeftoverWithoutAnyPackDoesNotBlockStartUp() throws {
        try onEachBackend {
            _ = try open()
            try FileManager.default.createDirectory(atPath: directory + "/packs/first", withIntermediateDirectories: true)
            try PackJournal(directory: directory + "/staging").begin("first")
            _ = try open()
            XCTAssertEqual(files("packs"), [])
        }
    }

    /// A successful create leaves no journal entry behind.
    func testCreateEndsItsJournalEntry() throws {
        try onEachBackend {
            let app = try open()
            upload("fresh", ages: ("20", "29"), to: app)
            XCTAssertEqual(files("staging"), [])
            XCTAssertEqual(files("packs"), ["fresh"])
        }
    }
}
