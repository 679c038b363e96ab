import Foundation
import PsyxTestSupport
import XCTest
@testable import Psyx

/// `psyx database copy --to URL`: a SQLite installation moved into an empty PostgreSQL database keeps
/// every id, reply, layout, folded number, level, content and job, and answers every download byte for
/// byte as it did on SQLite; a target that is not empty, or a wrong setting, is refused and changes nothing.
final class DatabaseCopyTests: XCTestCase {
    /// A SQLite installation with what a real one accumulates: a removed pack (an id gap), replies in
    /// both answer layouts with and without submission ids, a case duplicate kept from before SQLite's
    /// version 3 (no folded number), a closed pack, a withdrawn reply, levels, contents and a job.
    private func sqliteInstallation() throws -> AppHarness {
        let app = try AppHarness()
        for (name, sex, ages) in [("gone", "1", ("20", "29")), ("female20s", "2", ("20", "29")), ("male30s", "1", ("30", "39")),
                                  ("last", "2", ("40", "49"))] {
            var fixture = PackFixture(name: name, pairs: 3)
            fixture.sex = sex
            (fixture.ageMin, fixture.ageMax) = ages
            XCTAssertEqual(app.upload(fixture.body()).status, 200)
        }
        XCTAssertEqual(app.call("GET", "/api/admin/remove", query: "id=1").status, 200)
        for (index, no) in ["S1", "n2", "Zz3", "n4"].enumerated() {
            let start = app.json("POST", "/api/reply/start", Participants.details(no: no))
            let pairs = try XCTUnwrap((try start.json() as? [String: Any])?["pic_pairs"] as? [[String]], start.text)
            let body = Participants.submit(packID: 2, pairs: pairs, keys: ["F", " ", "J"], no: no,
                                           submissionID: index % 2 == 0 ? "copy-sub-\(index)-abc" : nil,
                                           layout: index == 1 ? nil : ParticipantFixture.pageLayout)
            XCTAssertEqual(app.json("POST", "/api/reply/submit", body).text, "Reply Submitted.")
        }
        let male = app.json("POST", "/api/reply/start", Participants.details(no: "m1", sex: 1, age: 33))
        let malePairs = try XCTUnwrap((try male.json() as? [String: Any])?["pic_pairs"] as? [[String]])
        var maleSubmit = Participants.submit(packID: 3, pairs: malePairs, no: "m1", submissionID: "copy-male-0001")
        maleSubmit["sex"] = 1
        maleSubmit["age"] = 33
        XCTAssertEqual(app.json("POST", "/api/reply/submit", maleSubmit).text, "Reply Submitted.")
        XCTAssertEqual(app.call("GET", "/api/admin/remove", query: "id=4").status, 200, "the newest pack removed: ids stay above it")

        // A case duplicate as a version-2 file kept it: its folded number NULL (the trigger stepped aside).
        let db = try SQLiteDatabase(path: app.directory + "/psyx.sqlite3", mode: .readWrite)
        db.setBusyTimeout(milliseconds: 5000)
        let trigger = try XCTUnwrap(try db.text("SELECT sql FROM sqlite_schema WHERE name = 'replies_no_folded_given'"))
        try db.exec("""
            BEGIN; DROP TRIGGER replies_no_folded_given;
            INSERT INTO replies (p_id, name, email, no, sex, age, phone, date, answers, layout, submission_id, no_folded)
            SELECT p_id, 'Legacy Kim', email, 's1', sex, age, phone, '2026-01-03T00:00:00Z', answers, 'key,rt,left,right', NULL, NULL
            FROM replies WHERE no = 'S1';
            \(trigger); COMMIT;
            """)

        // A closed pack, and the newest reply withdrawn: its id stays unused after the copy too.
        XCTAssertEqual(app.call("POST", "/api/admin/close", query: "id=3").status, 200)
        let extra = app.json("POST", "/api/reply/start", Participants.details(no: "x9"))
        let extraPairs = try XCTUnwrap((try extra.json() as? [String: Any])?["pic_pairs"] as? [[String]])
        XCTAssertEqual(app.json("POST", "/api/reply/submit", Participants.submit(packID: 2, pairs: extraPairs, no: "x9")).status, 200)
        XCTAssertEqual(try app.application.store.withdrawReplies(.reply(id: 7)) { _ in }.count, 1)

        // Settings, recruitment IDs, consent and touch (SQLite schema 5) go over as they are.
        try db.exec(#"""
            UPDATE packs SET settings = '{"ask":["no"],"touch":true,"time_limit":2.5}' WHERE p_id = 3;
            UPDATE replies SET recruitment = '{"PROLIFIC_PID":"p-1_x","STUDY_ID":"s1"}', consented_at = '2026-12-06T20:00:00.5Z',
                consent_version = '0123456789abcdef', input = 'touch' WHERE no = 'n2';
            """#)
        for form in ["id=3&consent=I%20agree.", "id=2&completion_url=https%3A%2F%2Fx.org%2F%7BPROLIFIC_PID%7D"] {
            let settings = app.call("POST", "/api/admin/settings", body: Array(form.utf8), contentType: "application/x-www-form-urlencoded")
            XCTAssertEqual(settings.status, 200, settings.text)
        }
        let relocation = app.application.relocationStore
        _ = try relocation.setLevels(RelocationFixture.exampleLevels)
        try FileManager.default.createDirectory(atPath: app.directory + "/levels/bronze", withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: app.directory + "/levels/bronze/g.mp4", contents: Data("g".utf8))
        _ = try relocation.addContent(cid: 7, level: "bronze", filename: "g.mp4", now: 1_700_000_000.123) { _ in }
        _ = try relocation.post(cid: 7, count: 1964, now: 1_700_000_100)
        _ = try relocation.claim(workerID: "w1", lease: 60.25, now: 1_700_000_200.5)
        return app
    }

    /// Every answer an admin or a participant can get, keyed by what was asked.
    private func answers(_ app: AppHarness) -> [String: [UInt8]] {
        var all: [String: [UInt8]] = ["list": app.call("GET", "/api/admin/list").body]
        for id in 1...5 {
            for format in ["json", "csv", "rcicr"] {
                let answer = app.call("GET", "/api/admin/download", query: "id=\(id)&format=\(format)")
                all["download \(id) \(format)"] = [UInt8]("\(answer.status) ".utf8) + answer.body
            }
        }
        return all
    }

    func testCopyKeepsEveryIdAndEveryDownloadIsTheSameByteForByte() throws {
        let sqlite = try sqliteInstallation()
        let before = answers(sqlite)
        XCTAssertEqual(String(decoding: before["download 2 json"]?.prefix(4) ?? [], as: UTF8.self), "200 ")
        let schema = try PostgreSQLTestSchema()

        let outcome = try DatabaseCopy(source: sqlite.directory + "/psyx.sqlite3", target: schema.info,
                                       packsFolder: sqlite.directory + "/packs").run()
        XCTAssertEqual(outcome.rows.map { "\($0.table)=\($0.count)" },
                       ["packs=2", "pack_pairs=6", "replies=6", "levels=3", "contents=1", "relocation_jobs=1"])
        XCTAssertEqual(outcome.repliesDigest.count, 64)
        // The pack folders' files are stored with their packs too, for every responder to copy.
        XCTAssertEqual(outcome.packFiles, 12)
        XCTAssertEqual(outcome.packsWithoutFolder, [])

        let postgres = try AppHarness(directory: sqlite.directory, arguments: ["--database", schema.connectionString])
        let files = try XCTUnwrap(postgres.application.store as? any SharedPackFiles)
        let stored = try XCTUnwrap(try files.packFileNames(id: 2, name: "female20s"))
        XCTAssertEqual(stored.count, 6)
        for file in stored {
            XCTAssertEqual(try files.packFile(id: 2, file: file),
                           try [UInt8](Data(contentsOf: URL(fileURLWithPath: sqlite.directory + "/packs/female20s/" + file))))
        }
        let after = answers(postgres)
        XCTAssertEqual(after.keys.sorted(), before.keys.sorted())
        for key in before.keys.sorted() {
            XCTAssertEqual(after[key], before[key], "\(key) differs:\n\(String(decoding: after[key] ?? [], as: UTF8.self).prefix(300))")
        }
        let relocation = postgres.application.relocationStore
        let job = try XCTUnwrap(try relocation.job(cid: 7))
        XCTAssertEqual(job.workerID, "w1")
        XCTAssertEqual(job.leaseExpires, 1_700_000_260.75)
        XCTAssertEqual(try relocation.content(cid: 7)?.generateTime, "2023-11-14T22:13:20.123Z")
        XCTAssertEqual(try relocation.levelSet().levels, RelocationFixture.exampleLevels)

        // The rules go on where SQLite left them: a number in any case, a known submission id, new ids.
        XCTAssertEqual(postgres.json("POST", "/api/reply/start", Participants.details(no: "s1")).sentence, "Already Participated")
        let start = postgres.json("POST", "/api/reply/start", Participants.details(no: "fresh1"))
        let pairs = try XCTUnwrap((try start.json() as? [String: Any])?["pic_pairs"] as? [[String]])
        let retry = Participants.submit(packID: 2, pairs: pairs, no: "S1", submissionID: "copy-sub-0-abc")
        XCTAssertEqual(postgres.json("POST", "/api/reply/submit", retry).text, "Reply Submitted.", "a retry of a copied reply")
        XCTAssertEqual(postgres.json("POST", "/api/reply/submit", Participants.submit(packID: 2, pairs: pairs, no: "fresh1")).text,
                       "Reply Submitted.")
        let replies = try schema.connect().execute("SELECT max(r_id), count(*) FROM replies").first
        XCTAssertEqual(try replies?.int64(0), 8, "above the withdrawn reply 7")
        XCTAssertEqual(try replies?.int64(1), 7)
        XCTAssertEqual(try postgres.application.store.replyState(packID: 2), ReplyState(count: 6, deleted: 1))
        XCTAssertEqual(try postgres.application.store.packSummaries().map(\.open), [true, false])
        var newer = PackFixture(name: "newer", pairs: 3)
        (newer.ageMin, newer.ageMax) = ("50", "59")
        XCTAssertEqual(postgres.upload(newer.body()).text, "Pack 5 Added.", "above the removed pack 4 too")
    }

    func testANonEmptyTargetIsRefusedAndNothingChanges() throws {
        let sqlite = try sqliteInstallation()
        let schema = try PostgreSQLTestSchema()
        _ = try DatabaseCopy(source: sqlite.directory + "/psyx.sqlite3", target: schema.info).run()
        let db = try schema.connect()
        let counts = { try db.execute("SELECT (SELECT count(*) FROM packs) || ' ' || (SELECT count(*) FROM replies)").first?.text(0) }
        XCTAssertEqual(try counts(), "2 6")
        XCTAssertThrowsError(try DatabaseCopy(source: sqlite.directory + "/psyx.sqlite3", target: schema.info).run()) {
            XCTAssertEqual("\($0)", "the PostgreSQL database is not empty (packs 2, pack_pairs 6, replies 6, levels 3, contents 1, "
                           + "relocation_jobs 1): psyx database copy writes only into an empty one, so that nothing is merged or overwritten")
        }
        XCTAssertEqual(try counts(), "2 6")
    }

    /// Through the command line as an operator types it.
    func testTheCommandRefusesWrongSettingsClearly() throws {
        let schema = try PostgreSQLTestSchema()
        let directory = NSTemporaryDirectory() + "psyx-copy-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: directory) }
        func refusal(_ arguments: [String], environment: [String: String] = [:]) -> String {
            do {
                let (settings, words) = try Settings.parse(["--data", directory] + arguments, environment: environment)
                try CommandDispatch.run(words, settings: settings)
                return "accepted"
            } catch {
                return "\(error)"
            }
        }
        XCTAssertEqual(refusal(["database", "copy"]), DatabaseCommands.usage)
        XCTAssertEqual(refusal(["database", "move", "--to", schema.connectionString]), DatabaseCommands.usage)
        XCTAssertEqual(refusal(["database", "copy", "--to", "sqlite:/tmp/x.sqlite3"]),
                       "--to must name a PostgreSQL database\n" + DatabaseCommands.usage)
        let password = refusal(["database", "copy", "--to", "postgresql://psyx:hunter2secret@db1/psyx"])
        XCTAssertTrue(password.contains("carries a password") && !password.contains("hunter2secret"), password)
        XCTAssertTrue(refusal(["database", "copy", "--to", schema.connectionString],
                              environment: ["PSYX_DATABASE": schema.connectionString]).hasPrefix("psyx database copy reads a SQLite database"))
        XCTAssertEqual(refusal(["database", "copy", "--to=" + schema.connectionString]), "no SQLite database at \(directory)/psyx.sqlite3")
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory + "/psyx.sqlite3"), "no empty database was made")
    }
}
