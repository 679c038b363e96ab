import Foundation
import PsyxTestSupport
import XCTest
@testable import Psyx

/// The settings routes through the responder on a real SQLite file (PackSettings.md): create with
/// settings, the settings form, the list and the public view; every refusal changes nothing.
final class PackSettingsRoutesTests: XCTestCase {
    static let consent = "# Consent\n\nI agree to **take part**."

    func fixture(_ fields: [(name: String, value: String)], name: String = "prolific") -> PackFixture {
        var pack = PackFixture(name: name, pairs: 3)
        pack.extraFields = fields
        return pack
    }

    static let fullSettings: [(name: String, value: String)] = [
        ("ask", "name, phone"), ("question_ko", "어느 얼굴?"), ("question_en", "Which face?"), ("time_limit", "2.5"),
        ("touch", "1"), ("consent", "# Consent\r\n\r\nI agree to **take part**."),
        ("completion_url", "https://app.prolific.com/submissions/complete?cc=C1&pid={PROLIFIC_PID}&s={SESSION_ID}"),
        ("completion_code", "C1-x_2"),
    ]

    func testCreateWithSettingsShowsThemInTheListAndThePublicView() throws {
        let app = try AppHarness(packSize: 3)
        let created = app.upload(fixture(Self.fullSettings).body())
        XCTAssertEqual(created.status, 200, created.text)
        let list = try XCTUnwrap(try app.call("GET", "/api/admin/list").json() as? [[String: Any]])
        let settings = try XCTUnwrap(list.first?["settings"] as? [String: Any])
        XCTAssertEqual(settings["ask"] as? [String], ["name", "phone"])
        XCTAssertEqual(settings["question"] as? [String: String], ["ko": "어느 얼굴?", "en": "Which face?"])
        XCTAssertEqual(settings["time_limit"] as? Double, 2.5)
        XCTAssertEqual(settings["touch"] as? Bool, true)
        XCTAssertEqual(settings["consent"] as? String, Self.consent, "line ends as the page shows them")
        XCTAssertEqual(settings["consent_version"] as? String, String(SHA256.hex(of: Self.consent.utf8).prefix(16)))
        XCTAssertEqual(settings["completion_url"] as? String, Self.fullSettings[6].value)
        XCTAssertEqual(settings["completion_code"] as? String, "C1-x_2")

        let view = app.call("GET", "/api/reply/pack", query: "name=prolific", user: nil)
        XCTAssertEqual(view.status, 200, view.text)
        let object = try XCTUnwrap(try view.json() as? [String: Any])
        XCTAssertEqual(Set(object.keys), ["p_id", "pack_name", "open", "sex", "age_min", "age_max", "ask", "question",
                                          "time_limit", "touch", "consent", "consent_version"], "never the completion")
        XCTAssertEqual(object["open"] as? Bool, true)
        XCTAssertEqual(object["time_limit"] as? Double, 2.5)
        XCTAssertEqual(object["consent_version"] as? String, settings["consent_version"] as? String)
        for name in ["nope", "", "BAD", "a%20b"] {
            let unknown = app.call("GET", "/api/reply/pack", query: "name=\(name)", user: nil)
            XCTAssertEqual(unknown.status, 400)
            XCTAssertTrue(unknown.sentence.hasPrefix("Unknown Pack"), unknown.sentence)
        }

        var plainPack = PackFixture(name: "plain", pairs: 3)
        plainPack.ageMin = "30"
        plainPack.ageMax = "39"
        let plain = app.upload(plainPack.body())
        XCTAssertEqual(plain.status, 200, plain.text)
        let plainView = try XCTUnwrap(try app.call("GET", "/api/reply/pack", query: "name=plain", user: nil).json() as? [String: Any])
        XCTAssertEqual(plainView["ask"] as? [String], ["name", "email", "no", "phone"])
        XCTAssertEqual(plainView["time_limit"] as? Double, 3.0, "the server's")
        XCTAssertEqual(plainView["consent_version"] as? String, "")
    }

    func testEveryBadSettingOfACreateIsRefusedAndStoresNothing() throws {
        let app = try AppHarness(packSize: 3)
        let cases: [(String, String, String)] = [
            ("ask", "name,age", "Invalid Fields"), ("ask", "name;email", "Invalid Fields"),
            ("question_ko", String(repeating: "가", count: 201), "Invalid Question"), ("question_en", "a\u{1}b", "Invalid Question"),
            ("time_limit", "0.4", "Invalid Time Limit"), ("time_limit", "60.5", "Invalid Time Limit"),
            ("time_limit", "2.55", "Invalid Time Limit"), ("time_limit", "abc", "Invalid Time Limit"),
            ("touch", "yes", "Invalid Touch Setting"),
            ("consent", String(repeating: "a", count: 20_001), "Invalid Consent Text"), ("consent", "a\u{7}b", "Invalid Consent Text"),
            ("completion_url", "ftp://x.org/", "Invalid Completion URL"), ("completion_url", "https://x.org/{other}", "Invalid Completion URL"),
            ("completion_url", "https://x.org/a b", "Invalid Completion URL"), ("completion_url", "https://x.org/{PROLIFIC_PID", "Invalid Completion URL"),
            ("completion_url", "https://x.org/" + String(repeating: "a", count: 2_000), "Invalid Completion URL"),
            ("completion_code", "a b", "Invalid Completion Code"), ("completion_code", String(repeating: "c", count: 65), "Invalid Completion Code"),
        ]
        for (field, value, sentence) in cases {
            let refused = app.upload(fixture([(field, value)]).body())
            XCTAssertEqual(refused.status, 400, "\(field)=\(value.prefix(20))")
            XCTAssertEqual(refused.sentence, sentence, "\(field)=\(value.prefix(20))")
        }
        XCTAssertEqual(try app.call("GET", "/api/admin/list").text, "[]")
        XCTAssertEqual(app.packFolders, [])
        XCTAssertEqual(app.stagingEntries, [])
        // The longest allowed values pass.
        let longest = app.upload(fixture([("consent", String(repeating: "가", count: 6_666)), ("time_limit", "60"),
                                          ("question_en", String(repeating: "q", count: 200)), ("ask", ""),
                                          ("completion_code", String(repeating: "c", count: 64))]).body())
        XCTAssertEqual(longest.status, 200, longest.text)
    }

    func settingsForm(_ app: AppHarness, _ fields: [String: String]) -> AppHarness.Answer {
        var components = URLComponents()
        components.queryItems = fields.map { URLQueryItem(name: $0.key, value: $0.value) }
        let body = (components.percentEncodedQuery ?? "").replacingOccurrences(of: "+", with: "%2B")
        return app.call("POST", "/api/admin/settings", body: Array(body.utf8), contentType: "application/x-www-form-urlencoded")
    }

    func testTheSettingsFormChangesWhatItSendsAndFreezesTheTaskOnceRepliesExist() throws {
        let app = try AppHarness(packSize: 3)
        XCTAssertEqual(app.upload(PackFixture(name: "p", pairs: 3).body()).status, 200)
        var start = try XCTUnwrap(try app.json("POST", "/api/reply/start", Participants.details()).json() as? [String: Any])
        XCTAssertEqual(start["time_limit"] as? Double, 3.0)
        XCTAssertEqual(start["touch"] as? Bool, false)
        XCTAssertEqual(start["question"] as? [String: String], ["ko": "", "en": ""])
        XCTAssertEqual(start["consent_version"] as? String, "")

        let updated = settingsForm(app, ["id": "1", "time_limit": "1.5", "touch": "1", "question_en": "Which one?"])
        XCTAssertEqual(updated.status, 200, updated.text)
        XCTAssertEqual(updated.text, "Pack 1 Updated.")
        start = try XCTUnwrap(try app.json("POST", "/api/reply/start", Participants.details()).json() as? [String: Any])
        XCTAssertEqual(start["time_limit"] as? Double, 1.5, "the cached start answer followed the change")
        XCTAssertEqual(start["touch"] as? Bool, true)
        XCTAssertEqual((start["question"] as? [String: String])?["en"], "Which one?")

        XCTAssertEqual(settingsForm(app, ["id": "9", "touch": "0"]).sentence, "Unknown Pack 9")
        XCTAssertEqual(settingsForm(app, ["id": "x"]).sentence, "Unknown Pack x")
        XCTAssertEqual(settingsForm(app, ["id": "1", "touch": "2"]).sentence, "Invalid Touch Setting")
        XCTAssertEqual(settingsForm(app, ["id": "1", "completion_url": "https://x.org/{bad}", "touch": "0"]).sentence,
                       "Invalid Completion URL", "nothing of a refused form is kept")
        let settings = try XCTUnwrap((try app.call("GET", "/api/admin/list").json() as? [[String: Any]])?.first?["settings"] as? [String: Any])
        XCTAssertEqual(settings["touch"] as? Bool, true)
        XCTAssertNil(settings["completion_url"], "the list leaves out what is at its default (empty here)")

        let pairs = try XCTUnwrap(start["pic_pairs"] as? [[String]])
        var submit = Participants.submit(packID: 1, pairs: pairs, keys: ["F"])
        submit["answers"] = pairs.map { ["F", 1.2, $0[0], $0[1]] }
        XCTAssertEqual(app.json("POST", "/api/reply/submit", submit).status, 200)
        for frozen in [["time_limit": "3"], ["touch": "0"], ["ask": "no"], ["question_en": ""], ["question_ko": "다른"]] {
            let refused = settingsForm(app, frozen.merging(["id": "1", "consent": "Kept?"]) { a, _ in a })
            XCTAssertEqual(refused.sentence, "Pack Has Replies", "\(frozen)")
        }
        let allowed = settingsForm(app, ["id": "1", "time_limit": "1.5", "consent": "New consent.", "completion_code": "DONE"])
        XCTAssertEqual(allowed.status, 200, "frozen fields sent unchanged and the rest changed: \(allowed.text)")
        let after = try XCTUnwrap((try app.call("GET", "/api/admin/list").json() as? [[String: Any]])?.first?["settings"] as? [String: Any])
        XCTAssertEqual(after["consent"] as? String, "New consent.")
        XCTAssertEqual(after["completion_code"] as? String, "DONE")
        XCTAssertEqual(app.call("POST", "/api/admin/settings", body: Array("id=1".utf8), contentType: "application/x-www-form-urlencoded",
                                user: nil).status, 403, "admins only")
    }
}
