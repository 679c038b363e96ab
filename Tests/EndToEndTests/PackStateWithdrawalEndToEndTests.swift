import Foundation
import Psyx
import PsyxTestSupport
import XCTest

/// Closing a pack and withdrawing replies through real Nginx: start turns new participants away
/// while one who started still submits; after a withdrawal the list, downloads, CI and infoVal
/// follow at once, and neither psyx's log nor Nginx's access log holds the participant number.
final class PackStateWithdrawalEndToEndTests: EndToEndTestCase {
    func testAClosedPackTurnsNewParticipantsAwayButTakesTheReplyOfOneWhoStarted() throws {
        try closedPack(database: [:])
    }

    func testAClosedPackTurnsNewParticipantsAwayButTakesTheReplyOfOneWhoStartedOnPostgreSQL() throws {
        try onPostgreSQL { try closedPack(database: $0) }
    }

    func testAWithdrawalIsFollowedAtOnceAndLoggedWithoutTheNumber() throws {
        try withdrawal(database: [:])
    }

    func testAWithdrawalIsFollowedAtOnceAndLoggedWithoutTheNumberOnPostgreSQL() throws {
        try onPostgreSQL { try withdrawal(database: $0) }
    }

    /// `database`: the PSYX_DATABASE setting for psyx serve, or none for SQLite.
    private func closedPack(database: [String: String]) throws {
        let stack = try startStack(environment: database.merging(["PSYX_PACK_SIZE": "4"]) { $1 })
        let client = ExperimentClient(stack: stack)
        XCTAssertEqual(try client.upload(PackFixture(name: "women", pairs: 4).body()).text, "Pack 1 Added.")
        let early = ParticipantFixture(no: "early0001")
        let started = try client.start(early)

        let closed = try client.admin("POST", "/api/admin/close?id=1")
        XCTAssertEqual(closed.status, 200, closed.text)
        XCTAssertEqual(closed.text, "Pack 1 Closed.")
        XCTAssertEqual(try client.list().first?["open"] as? Bool, false)
        let late = try client.post("/api/reply/start", json: ParticipantFixture(no: "late0001").details)
        XCTAssertEqual(late.status, 400)
        XCTAssertEqual(ExperimentClient.sentence(late), "No Suitable Pack for You")

        let submitted = try client.post("/api/reply/submit", json: early.submit(packID: 1, pairs: started.pairs))
        XCTAssertEqual(submitted.status, 200, submitted.text)
        XCTAssertEqual(submitted.text, "Reply Submitted.")
        XCTAssertEqual(try client.list().first?["count"] as? Int, 1)

        // A page elsewhere cannot open it through a logged-in admin's browser.
        let crossSite = try client.admin("POST", "/api/admin/open?id=1", headers: ["Sec-Fetch-Site: cross-site"])
        XCTAssertEqual(crossSite.status, 403)
        XCTAssertEqual(try client.list().first?["open"] as? Bool, false)
        XCTAssertEqual(try client.admin("POST", "/api/admin/open?id=1").text, "Pack 1 Opened.")
        XCTAssertEqual(try client.start(ParticipantFixture(no: "late0001")).packID, 1)
        XCTAssertEqual(ExperimentClient.sentence(try client.admin("POST", "/api/admin/close?id=7")), "Unknown Pack 7")
    }

    private func withdrawal(database: [String: String]) throws {
        let stack = try startStack(environment: database.merging(["PSYX_PACK_SIZE": "6"]) { $1 })
        let client = ExperimentClient(stack: stack)
        let synthetic = SyntheticPack(width: 24, height: 24, pairs: 6, basisCount: 6, seed: 7)
        XCTAssertEqual(try client.upload(PackFixture(name: "faces", synthetic: synthetic).body()).text, "Pack 1 Added.")
        for (no, keys) in [("e2w001", ["F", "J"]), ("e2w002", ["J", "J", "F"]), ("e2w003", ["F"])] {
            try reply(client, no: no, keys: keys)
        }
        let before = try analysis(client)
        XCTAssertEqual(before.replyIDs, [1, 2, 3])

        // Confirm first (what would go), then withdraw with the count confirmed, the number in the body.
        let form = ["Content-Type: application/x-www-form-urlencoded"]
        let preview = try client.admin("POST", "/api/admin/withdraw/preview", headers: form, body: Array("no=E2W002".utf8))
        XCTAssertEqual(preview.text, #"{"count":1,"packs":[{"p_id":1,"pack_name":"faces","count":1}]}"#)
        let done = try client.admin("POST", "/api/admin/withdraw", headers: form, body: Array("no=E2W002&expect=1".utf8))
        XCTAssertEqual(done.status, 200, done.text)
        XCTAssertEqual(done.text, "1 Reply Deleted.")
        XCTAssertEqual(try client.rowCounts(), "packs=1 pack_pairs=6 replies=2")

        let after = try analysis(client)
        XCTAssertEqual(after.count, 2)
        XCTAssertEqual(after.replyIDs, [1, 3], "JSON download")
        XCTAssertEqual(after.csvReplyIDs, [1, 3], "CSV download")
        XCTAssertEqual(after.infoValIDs, [1, 3])
        XCTAssertNotEqual(after.ci, before.ci)
        XCTAssertEqual(ExperimentClient.sentence(try client.admin("GET", "/api/admin/ci?id=1&r_id=2")), "Unknown Reply 2")

        // A new reply brings the count back to 3: the picture is of replies 1, 3 and 4, not 1, 2 and 3.
        try reply(client, no: "e2w004", keys: ["J", "F"])
        let refilled = try analysis(client)
        XCTAssertEqual(refilled.count, 3)
        XCTAssertEqual(refilled.infoValIDs, [1, 3, 4])
        XCTAssertNotEqual(refilled.ci, before.ci)

        // One reply by its id, from a script (query string), and what is refused changes nothing.
        XCTAssertEqual(try client.admin("POST", "/api/admin/withdraw?r_id=4").text, "1 Reply Deleted.")
        XCTAssertEqual(ExperimentClient.sentence(try client.admin("POST", "/api/admin/withdraw?r_id=4")), "No Reply Found")
        XCTAssertEqual(ExperimentClient.sentence(try client.admin("POST", "/api/admin/withdraw?r_id=1&expect=2")),
                       "Replies Changed: 1 Match Now, Not 2")
        XCTAssertEqual(try client.admin("GET", "/api/admin/withdraw?r_id=1").status, 405)
        XCTAssertEqual(try client.list().first?["count"] as? Int, 2)

        let apiLog = try String(contentsOf: stack.dataDirectory.appendingPathComponent("logs/api.log"), encoding: .utf8)
        XCTAssertTrue(apiLog.contains("admin \(TestStack.developmentAccount.user) withdrew 1 reply by participant number from pack 1 (faces): 1"), apiLog)
        XCTAssertTrue(apiLog.contains("withdrew 1 reply by reply id from pack 1 (faces): 1"), apiLog)
        let accessLog = try String(contentsOf: stack.runDirectory.appendingPathComponent("logs/access.log"), encoding: .utf8)
        XCTAssertTrue(accessLog.contains("/api/admin/withdraw"), "the access log is the one Nginx wrote")
        for (name, text) in [("api.log", apiLog), ("access.log", accessLog)] {
            XCTAssertFalse(text.lowercased().contains("e2w002"), "\(name) holds the withdrawn participant's number")
        }
    }

    private func reply(_ client: ExperimentClient, no: String, keys: [String]) throws {
        let participant = ParticipantFixture(no: no)
        let started = try client.start(participant)
        let submitted = try client.post("/api/reply/submit", json: participant.submit(packID: started.packID, pairs: started.pairs, keys: keys))
        XCTAssertEqual(submitted.status, 200, submitted.text)
    }

    /// What the researcher sees of pack 1: the list's count, the downloads' reply ids, infoVal, the CI.
    private func analysis(_ client: ExperimentClient) throws
        -> (count: Int, replyIDs: [Int], csvReplyIDs: [Int], infoValIDs: [Int], ci: [UInt8]) {
        let count = try XCTUnwrap(try client.list().first?["count"] as? Int)
        let json = try XCTUnwrap(try client.admin("GET", "/api/admin/download?id=1").json as? [String: Any])
        let replyIDs = (json["replies"] as? [[String: Any]] ?? []).compactMap { $0["r_id"] as? Int }
        XCTAssertEqual(json["count"] as? Int, count)
        let csv = try client.admin("GET", "/api/admin/download?id=1&format=csv").text.split(separator: "\n").dropFirst()
        let csvIDs = Array(Set(csv.compactMap { Int($0.prefix { $0 != "," }) })).sorted()
        let infoVal = try XCTUnwrap(try client.admin("GET", "/api/admin/infoval?id=1").json as? [[String: Any]])
        let picture = try client.admin("GET", "/api/admin/ci?id=1")
        XCTAssertEqual(picture.status, 200, picture.text)
        return (count, replyIDs, csvIDs, infoVal.compactMap { $0["r_id"] as? Int }, picture.body)
    }
}
