import Foundation
import PsyxTestSupport
import XCTest

/// The whole experiment path through the responder on a real SQLite file (spec §3).
final class ExperimentFlowTests: XCTestCase {
    func testCreateListStartSubmitDownloadRemove() throws {
        let app = try AppHarness(packSize: 3)
        let created = app.upload(PackFixture(name: "female20s", pairs: 3).body())
        XCTAssertEqual(created.status, 200, created.text)
        XCTAssertEqual(created.text, "Pack 1 Added.")
        XCTAssertEqual(created.header("Content-Type"), "text/plain; charset=utf-8")
        XCTAssertEqual(app.packFolders, ["female20s"])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: app.directory + "/packs/female20s").count, 6)
        XCTAssertTrue(app.stagingEntries.isEmpty)

        let list = try XCTUnwrap(try app.call("GET", "/api/admin/list").json() as? [[String: Any]])
        XCTAssertEqual(list.count, 1)
        XCTAssertEqual(list[0]["pack_name"] as? String, "female20s")
        XCTAssertEqual(list[0]["count"] as? Int, 0)
        XCTAssertEqual(list[0]["age_min"] as? Int, 20)
        XCTAssertNotNil((list[0]["date"] as? String)?.range(of: #"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$"#, options: .regularExpression))

        let started = app.json("POST", "/api/reply/start", Participants.details())
        XCTAssertEqual(started.status, 200, started.text)
        let start = try XCTUnwrap(try started.json() as? [String: Any])
        XCTAssertEqual(start["pack_path"] as? String, "/packs/female20s")
        XCTAssertEqual(start["time_limit"] as? Double, 3.0)
        let pairs = try XCTUnwrap(start["pic_pairs"] as? [[String]])
        XCTAssertEqual(pairs.count, 3)
        XCTAssertEqual(Set(pairs.map { $0.sorted() }), Set((1...3).map { [PackFixture.fileName($0, "inv"), PackFixture.fileName($0, "ori")] }))

        let submitted = app.json("POST", "/api/reply/submit", Participants.submit(packID: 1, pairs: pairs))
        XCTAssertEqual(submitted.status, 200, submitted.text)
        XCTAssertEqual(submitted.text, "Reply Submitted.")
        let counted = try XCTUnwrap(try app.call("GET", "/api/admin/list").json() as? [[String: Any]])
        XCTAssertEqual(counted[0]["count"] as? Int, 1)

        let download = app.call("GET", "/api/admin/download", query: "id=1")
        XCTAssertEqual(download.header("Content-Disposition"), "attachment; filename=\"1.json\"")
        let pack = try XCTUnwrap(try download.json() as? [String: Any])
        let replies = try XCTUnwrap(pack["replies"] as? [[String: Any]])
        XCTAssertEqual(replies.count, 1)
        XCTAssertEqual(replies[0]["name"] as? String, "홍길동")
        XCTAssertEqual(replies[0]["age"] as? Int, 25)
        let answers = try XCTUnwrap(replies[0]["answers"] as? [[Any]])
        XCTAssertEqual(answers.count, 3)
        XCTAssertEqual(answers[0][2] as? String, pairs[0][0])

        let csv = app.call("GET", "/api/admin/download", query: "id=1&format=csv").text.split(separator: "\n")
        XCTAssertEqual(csv.count, 4)
        XCTAssertEqual(csv[0], "r_id,p_id,participant,no,sex,age,trial,key,rt,left,right,chosen,stimulus,response,"
                       + "platform_id,study_id,session_id,assignment_id,hit_id,consented_at,consent_version,input")
        for (index, line) in csv.dropFirst().enumerated() {
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            let chosen = cells[11]
            switch cells[7] {
            case "F": XCTAssertEqual(chosen, pairs[index][0])
            case "J": XCTAssertEqual(chosen, pairs[index][1])
            default: XCTAssertEqual(chosen, "")
            }
            let expected = chosen.isEmpty ? "" : (chosen.contains("_ori") ? "1" : "-1")
            XCTAssertEqual(cells[13], expected, String(line))
        }

        XCTAssertEqual(app.call("POST", "/api/admin/remove", query: "id=1").text, "Pack 1 Deleted.")
        XCTAssertEqual(app.packFolders, [])
        XCTAssertEqual(app.call("GET", "/api/admin/list").text, "[]")
        XCTAssertEqual(app.call("GET", "/api/admin/remove", query: "id=1").sentence, "Unknown Pack 1")
    }

    func testLogHoldsNoPersonalData() throws {
        let app = try AppHarness(packSize: 3)
        XCTAssertEqual(app.upload(PackFixture(name: "p", pairs: 3).body()).status, 200)
        var bad = Participants.details()
        bad["name"] = "홍"
        bad["phone"] = "010-9999-8888x"
        XCTAssertEqual(app.json("POST", "/api/reply/start", bad).sentence, "Invalid Name: 홍")
        bad["name"] = "김철수"
        XCTAssertEqual(app.json("POST", "/api/reply/start", bad).sentence, "Invalid Phone Number: 010-9999-8888x")
        let start = try XCTUnwrap(try app.json("POST", "/api/reply/start", Participants.details()).json() as? [String: Any])
        let pairs = try XCTUnwrap(start["pic_pairs"] as? [[String]])
        XCTAssertEqual(app.json("POST", "/api/reply/submit", Participants.submit(packID: 1, pairs: pairs)).status, 200)
        let log = try String(contentsOfFile: app.directory + "/logs/api.log", encoding: .utf8)
        XCTAssertTrue(log.contains("Invalid Name"), log)
        for secret in ["홍", "김철수", "a@b.kr", "010-1234-5678", "010-9999-8888x", "2020123456", pairs[0][0]] {
            XCTAssertFalse(log.contains(secret), "log contains \(secret)")
        }
    }

    func testStartOrderAndSidesAreRandomPerParticipant() throws {
        let app = try AppHarness(packSize: 20)
        XCTAssertEqual(app.upload(PackFixture(name: "p", pairs: 20).body()).status, 200)
        var orders = Set<[String]>()
        var leftSides = Set<Bool>()
        for index in 0..<5 {
            let start = try XCTUnwrap(try app.json("POST", "/api/reply/start", Participants.details(no: "n\(index)")).json() as? [String: Any])
            let pairs = try XCTUnwrap(start["pic_pairs"] as? [[String]])
            orders.insert(pairs.map { $0[0] })
            for pair in pairs { leftSides.insert(pair[0].contains("_ori")) }
        }
        XCTAssertGreaterThan(orders.count, 1, "every participant gets a fresh order")
        XCTAssertEqual(leftSides, [true, false], "ori appears on both sides")
    }

    func testRetriedSubmitIsStoredOnceAndSecondReplyRefused() throws {
        let app = try AppHarness(packSize: 3)
        XCTAssertEqual(app.upload(PackFixture(name: "p", pairs: 3).body()).status, 200)
        let start = try XCTUnwrap(try app.json("POST", "/api/reply/start", Participants.details()).json() as? [String: Any])
        let pairs = try XCTUnwrap(start["pic_pairs"] as? [[String]])
        let body = Participants.submit(packID: 1, pairs: pairs, submissionID: "retry-0001-abcd")
        XCTAssertEqual(app.json("POST", "/api/reply/submit", body).text, "Reply Submitted.")
        XCTAssertEqual(app.json("POST", "/api/reply/submit", body).text, "Reply Submitted.")
        let again = app.json("POST", "/api/reply/submit", Participants.submit(packID: 1, pairs: pairs, submissionID: "another-0002"))
        XCTAssertEqual(again.status, 400)
        XCTAssertEqual(again.sentence, "Already Participated")
        XCTAssertEqual(app.json("POST", "/api/reply/start", Participants.details()).sentence, "Already Participated")
        let list = try XCTUnwrap(try app.call("GET", "/api/admin/list").json() as? [[String: Any]])
        XCTAssertEqual(list[0]["count"] as? Int, 1)
    }
}
