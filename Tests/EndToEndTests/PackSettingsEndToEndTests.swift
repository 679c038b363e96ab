import Foundation
import PsyxTestSupport
import XCTest

/// Per-pack settings, a Prolific link, consent, touch answers and the completion link through real
/// Nginx (PackSettings.md), on SQLite and on PostgreSQL: create with settings, the list, the public
/// view, start by pack with Prolific IDs, submit with consent and touch, the completion URL with its
/// placeholders filled, the downloads; every new 400 changes nothing.
final class PackSettingsEndToEndTests: EndToEndTestCase {
    func testAProlificStudyFromCreateToCompletion() throws {
        try prolificStudy(database: [:])
    }

    func testAProlificStudyFromCreateToCompletionOnPostgreSQL() throws {
        try onPostgreSQL { try prolificStudy(database: $0) }
    }

    static let pid = "5f1a2b3c4d5e6f7a8b9c0d1e"
    static let consent = "# Consent\n\nI agree to **take part**.\n- Data are kept for 5 years."
    static let completion = "https://app.prolific.com/submissions/complete?cc=C0DE&p={PROLIFIC_PID}&st={STUDY_ID}&se={SESSION_ID}&x={pid}"

    private func form(_ fields: [(String, String)]) -> [UInt8] {
        let allowed = CharacterSet.alphanumerics
        return Array(fields.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")" }
            .joined(separator: "&").utf8)
    }

    private func settings(_ client: ExperimentClient, _ fields: [(String, String)], headers: [String] = []) throws -> HTTPResponse {
        try client.admin("POST", "/api/admin/settings", headers: ["Content-Type: application/x-www-form-urlencoded"] + headers,
                         body: form(fields))
    }

    private func prolificStudy(database: [String: String]) throws {
        let stack = try startStack(environment: database.merging(["PSYX_PACK_SIZE": "3"]) { $1 })
        let client = ExperimentClient(stack: stack)
        var study = PackFixture(name: "prolific", pairs: 3)
        study.extraFields = [("ask", "name"), ("question_en", "Which face looks more like you?"), ("time_limit", "2"),
                             ("touch", "1"), ("consent", Self.consent.replacingOccurrences(of: "\n", with: "\r\n")),
                             ("completion_url", Self.completion)]
        XCTAssertEqual(try client.upload(study.body()).text, "Pack 1 Added.")
        var plain = PackFixture(name: "plain", pairs: 3)
        plain.sex = "1"
        XCTAssertEqual(try client.upload(plain.body()).text, "Pack 2 Added.")

        let listed = try XCTUnwrap(try client.list().first?["settings"] as? [String: Any])
        XCTAssertEqual(listed["ask"] as? [String], ["name"])
        XCTAssertEqual(listed["time_limit"] as? Double, 2)
        XCTAssertEqual(listed["touch"] as? Bool, true)
        XCTAssertEqual(listed["consent"] as? String, Self.consent)
        XCTAssertEqual(listed["completion_url"] as? String, Self.completion)
        let version = try XCTUnwrap(listed["consent_version"] as? String)
        XCTAssertEqual(version.count, 16)
        XCTAssertEqual(try client.list().last?["settings"].flatMap { ($0 as? [String: Any])?["time_limit"] as? Double }, 3, "the server's")

        let view = try stack.http.request("GET", "/api/reply/pack?name=prolific")
        XCTAssertEqual(view.status, 200, view.text)
        let public_ = try XCTUnwrap(view.json as? [String: Any])
        XCTAssertEqual(public_["consent_version"] as? String, version)
        XCTAssertEqual((public_["question"] as? [String: String])?["en"], "Which face looks more like you?")
        XCTAssertFalse(view.text.contains("prolific.com"), "the completion URL is never public")

        // Every new refusal through Nginx: its sentence, and nothing changed.
        let ids: [String: String] = ["PROLIFIC_PID": Self.pid, "STUDY_ID": "study01", "SESSION_ID": "sess-01_a"]
        let startBody: [String: Any] = ["pack": "prolific", "name": "Ada Lovelace", "sex": 2, "age": 25, "no": Self.pid, "recruitment": ids]
        var badStart = startBody
        badStart["recruitment"] = ["PROLIFIC_PID": "not valid!"]
        var noID = startBody
        noID["recruitment"] = ["STUDY_ID": "study01"]
        noID["no"] = "2020123456"
        let fakePairs = [["rcic_00001_ori.jpg", "rcic_00001_inv.jpg"], ["rcic_00002_ori.jpg", "rcic_00002_inv.jpg"],
                         ["rcic_00003_ori.jpg", "rcic_00003_inv.jpg"]]
        func submitBody(_ change: [String: Any]) -> [String: Any] {
            var body = startBody
            body.removeValue(forKey: "pack")
            body["p_id"] = 1
            body["answers"] = fakePairs.map { ["F", 0.9, $0[0], $0[1]] }
            body["layout"] = ParticipantFixture.pageLayout
            body["submission_id"] = "prolific-sub-0001"
            body["input"] = "touch"
            body["consent"] = ["at": ISO8601DateFormatter().string(from: Date()), "version": version]
            return body.merging(change) { $1 }
        }
        var plainSubmit = ParticipantFixture(no: "2020999999", sex: 1).submit(packID: 2, pairs: fakePairs)
        plainSubmit["input"] = "touch"
        var badCreate = PackFixture(name: "third", pairs: 3)
        badCreate.ageMin = "40"
        badCreate.ageMax = "49"
        badCreate.extraFields = [("completion_url", "https://x.org/{secret}")]
        let refusals: [(String, () throws -> HTTPResponse, String)] = [
            ("create with a bad setting", { try client.upload(badCreate.body()) }, "Invalid Completion URL"),
            ("settings of an unknown pack", { try self.settings(client, [("id", "7"), ("touch", "1")]) }, "Unknown Pack 7"),
            ("a bad time limit", { try self.settings(client, [("id", "1"), ("time_limit", "0.2")]) }, "Invalid Time Limit"),
            ("a bad field list", { try self.settings(client, [("id", "1"), ("ask", "name,shoe")]) }, "Invalid Fields"),
            ("an unknown public pack", { try stack.http.request("GET", "/api/reply/pack?name=nope") }, "Unknown Pack nope"),
            ("a bad recruitment ID", { try client.post("/api/reply/start", json: badStart) }, "Invalid Recruitment ID: PROLIFIC_PID"),
            ("no platform ID", { try client.post("/api/reply/start", json: noID) }, "Participant ID Required"),
            ("no consent", { try client.post("/api/reply/submit", json: submitBody(["consent": NSNull()])) }, "Consent Required"),
            ("an old consent", { try client.post("/api/reply/submit", json: submitBody(["consent": ["at": "2020-01-01T00:00:00Z", "version": version]])) },
             "Invalid Consent"),
            ("too slow for 2 s", { try client.post("/api/reply/submit", json: submitBody(["answers": fakePairs.map { ["F", 2.7, $0[0], $0[1]] }])) },
             "Invalid Answer 1: reaction time out of range"),
            ("touch on a pack without it", { try client.post("/api/reply/submit", json: plainSubmit) }, "Touch Not Allowed"),
            ("an unknown submission", { try stack.http.request("GET", "/api/reply/completion?submission_id=prolific-sub-0001") }, "Unknown Submission"),
        ]
        let rows = try client.rowCounts()
        var before = try ExperimentSnapshot(client)
        for (label, send, sentence) in refusals {
            let response = try send()
            XCTAssertEqual(response.status, 400, "\(label): \(response.text)")
            XCTAssertEqual(ExperimentClient.sentence(response), sentence, label)
            let after = try ExperimentSnapshot(client)
            XCTAssertTrue(after == before, "\(label) changed something: \(after.difference(from: before))")
            before = after
        }
        XCTAssertEqual(try client.rowCounts(), rows)
        XCTAssertEqual(try settings(client, [("id", "1"), ("touch", "0")], headers: ["Sec-Fetch-Site: cross-site"]).status, 403)

        // The participant: start by pack with the Prolific IDs, submit with consent and touch.
        let started = try client.post("/api/reply/start", json: startBody)
        XCTAssertEqual(started.status, 200, started.text)
        let answer = try XCTUnwrap(started.json as? [String: Any])
        XCTAssertEqual(answer["time_limit"] as? Double, 2)
        XCTAssertEqual(answer["touch"] as? Bool, true)
        XCTAssertEqual(answer["consent_version"] as? String, version)
        let pairs = try XCTUnwrap(answer["pic_pairs"] as? [[String]])
        let submitted = try client.post("/api/reply/submit", json: submitBody(["answers": pairs.map { ["J", 1.25, $0[0], $0[1]] },
                                                                               "email": "not@asked.org"]))
        XCTAssertEqual(submitted.status, 200, submitted.text)
        XCTAssertEqual(ExperimentClient.sentence(try client.post("/api/reply/start", json: startBody)), "Already Participated")

        let completion = try stack.http.request("GET", "/api/reply/completion?submission_id=prolific-sub-0001")
        XCTAssertEqual(completion.status, 200, completion.text)
        XCTAssertEqual(completion.json as? [String: String], ["url": "https://app.prolific.com/submissions/complete?cc=C0DE&p=\(Self.pid)"
                                                                  + "&st=study01&se=sess-01_a&x="])

        let download = try XCTUnwrap(try client.admin("GET", "/api/admin/download?id=1").json as? [String: Any])
        let reply = try XCTUnwrap((download["replies"] as? [[String: Any]])?.first)
        XCTAssertEqual(reply["no"] as? String, Self.pid)
        XCTAssertEqual(reply["email"] as? String, "")
        XCTAssertEqual(reply["recruitment"] as? [String: String], ids)
        XCTAssertEqual(reply["consent_version"] as? String, version)
        XCTAssertEqual(reply["input"] as? String, "touch")
        let consentedAt = try XCTUnwrap(reply["consented_at"] as? String)
        let csv = try client.admin("GET", "/api/admin/download?id=1&format=csv").text.split(separator: "\n").map(String.init)
        XCTAssertEqual(csv.count, 4)
        XCTAssertTrue(csv[0].hasPrefix("r_id,p_id,participant,no,sex,age,trial,key,rt,left,right,chosen,stimulus,response,"), csv[0])
        XCTAssertTrue(csv[0].hasSuffix(",platform_id,study_id,session_id,assignment_id,hit_id,consented_at,consent_version,input"), csv[0])
        for row in csv.dropFirst() {
            XCTAssertTrue(row.hasSuffix(",\(Self.pid),study01,sess-01_a,,,\(consentedAt),\(version),touch"), row)
        }
        let zip = try client.admin("GET", "/api/admin/download?id=1&format=psychds")
        XCTAssertEqual(zip.status, 200)

        // Consent and completion may change with replies; the task may not.
        XCTAssertEqual(try settings(client, [("id", "1"), ("time_limit", "3")]).status, 400)
        XCTAssertEqual(ExperimentClient.sentence(try settings(client, [("id", "1"), ("touch", "0")])), "Pack Has Replies")
        XCTAssertEqual(try settings(client, [("id", "1"), ("consent", "New text."), ("completion_url", ""), ("completion_code", "C0DE")]).text,
                       "Pack 1 Updated.")
        XCTAssertEqual(try stack.http.request("GET", "/api/reply/completion?submission_id=prolific-sub-0001").json as? [String: String],
                       ["code": "C0DE"])
        XCTAssertNotEqual(try stack.http.request("GET", "/api/reply/pack?name=prolific").json.flatMap { ($0 as? [String: Any])?["consent_version"] as? String },
                          version, "the public view follows at once")
        XCTAssertEqual(try client.admin("POST", "/api/admin/close?id=1").status, 200)
        XCTAssertEqual(ExperimentClient.sentence(try client.post("/api/reply/start", json: startBody.merging(["no": "other01",
            "recruitment": ["PROLIFIC_PID": "other01"]]) { $1 })), "Pack Closed")
    }
}
