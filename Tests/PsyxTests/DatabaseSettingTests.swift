import Foundation
import PsyxTestSupport
import XCTest
@testable import Psyx

/// `--database` / `PSYX_DATABASE`: SQLite by default as before, another SQLite file, or PostgreSQL in
/// either of libpq's forms; a password in the setting refused without being repeated; and a responder
/// on PostgreSQL serving the experiment and relocation from it.
final class DatabaseSettingTests: XCTestCase {
    private func database(_ arguments: [String], environment: [String: String] = [:]) throws -> DatabaseLocation {
        try Settings.parse(["--data", "/srv/psyx"] + arguments, environment: environment).0.database
    }

    private func refusal(_ arguments: [String], environment: [String: String] = [:]) -> String {
        do {
            return "accepted: \(try database(arguments, environment: environment))"
        } catch {
            return "\(error)"
        }
    }

    func testSQLiteIsTheDefaultAndAnotherFileCanBeNamed() throws {
        XCTAssertEqual(try database([]), .sqlite(path: "/srv/psyx/psyx.sqlite3"))
        XCTAssertEqual(try database(["--database", ""]), .sqlite(path: "/srv/psyx/psyx.sqlite3"))
        XCTAssertEqual(try database(["--database", "sqlite:/var/lib/other.sqlite3"]), .sqlite(path: "/var/lib/other.sqlite3"))
        XCTAssertEqual(try database(["--database=sqlite:rel.sqlite3"]),
                       .sqlite(path: FileManager.default.currentDirectoryPath + "/rel.sqlite3"))
        XCTAssertEqual(try database([], environment: ["PSYX_DATABASE": "sqlite:/env.sqlite3"]), .sqlite(path: "/env.sqlite3"))
        XCTAssertEqual(try database(["--database", "sqlite:/flag.sqlite3"], environment: ["PSYX_DATABASE": "sqlite:/env.sqlite3"]),
                       .sqlite(path: "/flag.sqlite3"), "the flag wins over the environment")
        XCTAssertEqual(refusal(["--database", "sqlite:"]),
                       "--database sqlite: needs a file path, e.g. sqlite:/var/lib/psyx/psyx.sqlite3")
    }

    func testPostgreSQLInEitherForm() throws {
        for text in ["postgresql://psyx@db1/psyx", "postgres://psyx@db1:5432/psyx?sslmode=require",
                     "host=db1 dbname=psyx user=psyx", "postgresql:///psyx?host=/run/postgresql"] {
            guard case .postgresql(let info) = try database(["--database", text]) else {
                XCTFail("\(text) is PostgreSQL")
                continue
            }
            XCTAssertEqual(info.value("dbname"), "psyx", text)
        }
        XCTAssertEqual(try database([], environment: ["PSYX_DATABASE": "postgresql://psyx@db1/psyx"]).description,
                       "postgresql (user='psyx' dbname='psyx' host='db1')")
    }

    func testAPasswordOrAnUnknownFormIsRefusedWithoutRepeatingIt() {
        for text in ["postgresql://psyx:hunter2secret@db1/psyx", "postgres://db1/psyx?password=hunter2secret",
                     "host=db1 dbname=psyx password=hunter2secret"] {
            for refused in [refusal(["--database", text]), refusal([], environment: ["PSYX_DATABASE": text])] {
                XCTAssertFalse(refused.contains("hunter2secret"), refused)
                XCTAssertTrue(refused.hasPrefix("invalid --database: the connection string carries a password"), refused)
                XCTAssertTrue(refused.contains("PGPASSFILE, ~/.pgpass or PGPASSWORD"), refused)
            }
        }
        for text in ["mysql://psyx:hunter2secret@db1/psyx", "/var/lib/psyx.sqlite3", "postgresql://psyx:hunter2secret@[::1/x"] {
            let refused = refusal(["--database", text])
            XCTAssertTrue(refused.hasPrefix("invalid --database"), refused)
            XCTAssertFalse(refused.contains("hunter2secret"), refused)
        }
    }

    func testServeOnPostgreSQLRunsTheExperimentAndRelocation() throws {
        let schema = try PostgreSQLTestSchema()
        let app = try AppHarness(arguments: ["--database", schema.info.text])
        XCTAssertTrue(app.application.store is PostgreSQLStore)
        XCTAssertTrue(app.application.relocationStore is PostgreSQLRelocationStore)
        XCTAssertEqual(app.call("GET", "/api/health").status, 200, "health asks PostgreSQL")

        XCTAssertEqual(app.upload(PackFixture(name: "female20s", pairs: 3).body()).text, "Pack 1 Added.")
        XCTAssertEqual(app.packFolders, ["female20s"], "pack folders stay in the data directory")
        let start = app.json("POST", "/api/reply/start", ParticipantFixture().details)
        XCTAssertEqual(start.status, 200, start.text)
        let pairs = try XCTUnwrap((try start.json() as? [String: Any])?["pic_pairs"] as? [[String]])
        let submit = app.json("POST", "/api/reply/submit", ParticipantFixture().submit(packID: 1, pairs: pairs, submissionID: "db-setting-1"))
        XCTAssertEqual(submit.text, "Reply Submitted.")
        XCTAssertEqual(try schema.connect().execute("SELECT count(*) FROM replies").first?.int64(0), 1, "the reply is in PostgreSQL")
        XCTAssertTrue(app.call("GET", "/api/admin/list").text.contains(#""count":1"#))

        _ = try app.application.relocationStore.setLevels(RelocationFixture.exampleLevels)
        try FileManager.default.createDirectory(atPath: app.directory + "/levels/bronze", withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: app.directory + "/levels/bronze/g.mp4", contents: Data("g".utf8))
        _ = try app.application.relocationStore.addContent(cid: 7, level: "bronze", filename: "g.mp4", now: 1_700_000_000) { _ in }
        let posted = app.call("POST", "/post_sentence", body: Array("cid=7&count=1964".utf8),
                              contentType: "application/x-www-form-urlencoded", user: nil,
                              headers: [SharedKey.header: AppHarness.relocationKey])
        XCTAssertEqual(posted.status, 200)
        XCTAssertTrue(posted.text.contains(#""target": "silver""#), posted.text)
        XCTAssertEqual(try schema.connect().execute("SELECT target FROM relocation_jobs WHERE cid = 7").first?.text(0), "silver",
                       "the job is in PostgreSQL")
        XCTAssertFalse(FileManager.default.fileExists(atPath: app.directory + "/psyx.sqlite3"), "no SQLite file on the side")
    }
}
