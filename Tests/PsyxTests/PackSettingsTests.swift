import Foundation
import XCTest
@testable import Psyx

/// The settings value and its parts (PackSettings.md): form fields, stored JSON, recruitment IDs,
/// the completion link, the consent record, and the details a pack asks.
final class PackSettingsTests: XCTestCase {
    func testFormFieldsParseAndLeftOutFieldsChangeNothing() throws {
        let change = try PackSettingsChange(fields: ["ask": " phone ,name,name", "time_limit": "0.5", "touch": "0",
                                                     "consent": "a\r\nb\rc\td", "completion_code": "A_b-9"])
        XCTAssertEqual(change.ask, [.name, .phone], "in the canonical order, each once")
        XCTAssertEqual(change.timeLimit, .some(0.5))
        XCTAssertEqual(change.consent, "a\nb\nc\td")
        XCTAssertNil(change.questionKo)
        var before = PackSettings()
        before.questionEn = "kept"
        let after = change.applied(to: before)
        XCTAssertEqual(after.questionEn, "kept")
        XCTAssertEqual(after.consentVersion, String(SHA256.hex(of: "a\nb\nc\td".utf8).prefix(16)))
        XCTAssertEqual(try PackSettingsChange(fields: ["ask": ""]).ask, [])
        XCTAssertEqual(try PackSettingsChange(fields: ["time_limit": ""]).timeLimit, .some(nil), "back to the server's")
        XCTAssertEqual(try PackSettingsChange(fields: ["time_limit": "60"]).timeLimit, .some(60))
        for limit in ["0.45", "60.1", "+3", "3.", ".5", "1e1", "100", " 3"] {
            XCTAssertThrowsError(try PackSettingsChange(fields: ["time_limit": limit]), limit)
        }
        // The first bad field in the table's order is the one refused.
        XCTAssertThrowsError(try PackSettingsChange(fields: ["completion_code": "!", "ask": "x"])) {
            XCTAssertEqual($0 as? APIError, .badRequest("Invalid Fields"))
        }
    }

    func testStoredJSONRoundTripsAndDefaultsAreEmpty() {
        XCTAssertEqual(PackSettings().storedJSON, "{}")
        XCTAssertEqual(PackSettings(storedJSON: "{}"), .default)
        XCTAssertEqual(PackSettings(storedJSON: "not json"), .default)
        var settings = PackSettings()
        settings.ask = [.email]
        settings.questionKo = "\"따옴표\"\n"
        settings.timeLimit = 12.5
        settings.touch = true
        settings.consent = "x"
        settings.completionURL = "https://x.org/{id}"
        XCTAssertEqual(PackSettings(storedJSON: settings.storedJSON), settings)
        XCTAssertEqual(settings.effectiveTimeLimit(default: 3), 12.5)
        XCTAssertEqual(PackSettings().effectiveTimeLimit(default: 3), 3)
        var sameTask = settings
        sameTask.consent = "y"
        sameTask.completionCode = "C"
        XCTAssertTrue(sameTask.sameTask(as: settings))
        sameTask.touch = false
        XCTAssertFalse(sameTask.sameTask(as: settings))
    }

    func testRecruitmentIDsAndThePlatformID() throws {
        let ids = try RecruitmentIDs(json: .object(["STUDY_ID": .string("s"), "pid": .string("g"), "survey_code": .string("c")]))
        XCTAssertEqual(ids.platformID, "c", "survey_code comes before pid")
        XCTAssertEqual(ids.json, #"{"STUDY_ID":"s","survey_code":"c","pid":"g"}"#)
        XCTAssertEqual(RecruitmentIDs(storedJSON: ids.json), ids)
        XCTAssertEqual(try RecruitmentIDs(json: .object(["workerId": .string("w"), "PROLIFIC_PID": .string("p")])).platformID, "p")
        XCTAssertNil(try RecruitmentIDs(json: nil).platformID)
        XCTAssertEqual(try RecruitmentIDs(json: .null).json, "{}")
        for (value, key) in [(JSONValue.object(["pid": .string(String(repeating: "a", count: 65))]), "pid"),
                             (.object(["pid": .string("")]), "pid"), (.object(["pid": .number(JSONNumber(1))]), "pid"),
                             (.object(["<b>": .string("x")]), "?"), (.array([]), "recruitment")] {
            XCTAssertThrowsError(try RecruitmentIDs(json: value)) {
                XCTAssertEqual($0 as? APIError, .badRequest("Invalid Recruitment ID: \(key)"))
            }
        }
    }

    func testCompletionLinks() {
        for good in ["", "https://x.org", "http://x.org/a?b={PROLIFIC_PID}&c={STUDY_ID}{SESSION_ID}", "HTTPS://X.ORG/ä"] {
            XCTAssertTrue(CompletionLink.isValid(good), good)
        }
        for bad in ["x.org", "https://", "https:///path", "https://x.org/{pid", "https://x.org/pid}", "https://x.org/{PID}",
                    "https://x.org/\t", "javascript:alert(1)", "https://{pid}.org"] {
            XCTAssertFalse(CompletionLink.isValid(bad), bad)
        }
        let ids = RecruitmentIDs(values: ["PROLIFIC_PID": "a-b_c", "id": "7"])
        XCTAssertEqual(CompletionLink.filled("https://x.org/?p={PROLIFIC_PID}&s={id}&w={workerId}", with: ids),
                       "https://x.org/?p=a-b_c&s=7&w=")
    }

    func testConsentRecords() throws {
        var settings = PackSettings()
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        XCTAssertNil(try ConsentRecord(.string("anything"), settings: settings, now: now), "no consent text: ignored")
        settings.consent = "text"
        XCTAssertThrowsError(try ConsentRecord(nil, settings: settings, now: now)) { XCTAssertEqual($0 as? APIError, .badRequest("Consent Required")) }
        func record(_ at: String, _ version: String = "0123456789abcdef") -> JSONValue {
            .object(["at": .string(at), "version": .string(version)])
        }
        let formatter = ISO8601DateFormatter()
        XCTAssertEqual(try ConsentRecord(record(formatter.string(from: now)), settings: settings, now: now)?.version, "0123456789abcdef")
        XCTAssertNotNil(try ConsentRecord(record("2027-01-15T08:00:00.123Z"), settings: settings, now: now))
        for bad in [record(formatter.string(from: now.addingTimeInterval(301))), record(formatter.string(from: now.addingTimeInterval(-8 * 86400))),
                    record("2027-01-15T08:00:00+00:00"), record(formatter.string(from: now), "0123456789ABCDEF"),
                    record(formatter.string(from: now), "0123"), .object(["at": .string(formatter.string(from: now))])] {
            XCTAssertThrowsError(try ConsentRecord(bad, settings: settings, now: now)) { XCTAssertEqual($0 as? APIError, .badRequest("Invalid Consent")) }
        }
    }

    func testAPackAsksOnlySomeDetails() throws {
        let sent: [String: JSONValue] = ["name": .string("Ada Lovelace"), "sex": .number(JSONNumber(2)),
                                         "age": .number(JSONNumber(30)), "email": .string("")]
        let participant = try Participant(json: sent, asked: [.name], platformID: "PID_1-x")
        XCTAssertEqual(participant, Participant(name: "Ada Lovelace", email: "", no: "PID_1-x", sex: 2, age: 30, phone: ""))
        var withBadPhone = sent
        withBadPhone["phone"] = .string("abc")
        XCTAssertThrowsError(try Participant(json: withBadPhone, asked: [.name], platformID: "p")) { XCTAssertEqual(($0 as? ParticipantError)?.field, .phone) }
        var withPhone = sent
        withPhone["phone"] = .string("010-1234-5678")
        XCTAssertEqual(try Participant(json: withPhone, asked: [.name], platformID: "p").phone, "", "checked, then not kept")
        XCTAssertEqual(try Participant(json: sent, asked: [.name], platformID: nil).no, "", "the caller refuses that")
        XCTAssertThrowsError(try Participant(json: sent, asked: [.name, .no], platformID: nil), "a pack asking the number needs it")
        var original = sent
        original["no"] = .string("a-b")
        XCTAssertThrowsError(try Participant(json: original, asked: PackSettings.Detail.allCases, platformID: nil))
        XCTAssertEqual(try Participant(json: original, asked: [.name, .no], platformID: "a-b").no, "a-b", "the platform ID itself")
    }
}
