import Foundation
import PsyxTestSupport
import XCTest
@testable import Psyx

/// Per-pack settings and what a reply records of its recruitment and consent (PackSettings.md), on
/// every backend: stored and read back whole, changed in one transaction, the task's fields frozen
/// once a pack has replies, the cached pack following a change at once (here and on another store).
extension StoreScenarios {
    func richSettings() -> PackSettings {
        var settings = PackSettings()
        settings.ask = [.name, .phone]
        settings.questionKo = "어느 얼굴이 더 \"믿음직\"해 보입니까?"
        settings.questionEn = "Which face looks more trustworthy?"
        settings.timeLimit = 2.5
        settings.touch = true
        settings.consent = "# 동의서\n\n- **참여**는 자유입니다.\n\tTab, 'quotes' and \\ too."
        settings.completionURL = "https://app.prolific.com/submissions/complete?cc=ABC&pid={PROLIFIC_PID}"
        settings.completionCode = "ABC-123"
        return settings
    }

    func settingsRoundTripThroughEveryRead() throws {
        let fixture = try makeFixture()
        let store = fixture.store
        var new = newPack("set", sex: 1, 20, 29)
        new.settings = richSettings()
        let id = try store.createPack(new, beforeCommit: {})
        let plain = try store.createPack(newPack("plain", sex: 2, 20, 29), beforeCommit: {})
        XCTAssertEqual(try store.pack(id: id)?.settings, richSettings())
        XCTAssertEqual(try store.pack(id: plain)?.settings, .default)
        XCTAssertEqual(try store.packSummaries().map(\.settings), [richSettings(), .default])
        XCTAssertEqual(try store.pack(named: "set")?.id, id)
        XCTAssertEqual(try store.pack(named: "set")?.settings, richSettings())
        XCTAssertNil(try store.pack(named: "none"))
        XCTAssertEqual(try fixture.text("SELECT settings FROM packs WHERE pack_name = 'plain'"), "{}", "defaults are stored as {}")
        XCTAssertEqual(try fixture.openStore().pack(id: id)?.settings, richSettings(), "another store reads them")
        XCTAssertEqual(richSettings().consentVersion.count, 16)
    }

    func settingsChangeIsSeenAtOnceAndFrozenOnceRepliesExist() throws {
        let fixture = try makeFixture()
        let store = fixture.store
        let id = try store.createPack(newPack("p", sex: 1, 20, 29), beforeCommit: {})
        XCTAssertEqual(try store.pack(named: "p")?.settings, .default, "now remembered")
        var change = PackSettingsChange()
        change.timeLimit = .some(2.0)
        change.ask = [.no]
        change.consent = "I agree."
        let summary = try XCTUnwrap(try store.setPackSettings(id: id, change))
        XCTAssertEqual(summary.settings.timeLimit, 2.0)
        XCTAssertEqual(try store.pack(id: id)?.settings.ask, [.no], "the cached pack followed")
        XCTAssertEqual(try store.pack(named: "p")?.settings.consent, "I agree.")
        XCTAssertEqual(try store.suitablePack(sex: 1, age: 25)?.settings.timeLimit, 2.0)
        XCTAssertNil(try store.setPackSettings(id: 999, change))

        _ = try store.insertReply(reply(pack: id, no: "r1"))
        for frozen in [{ (c: inout PackSettingsChange) in c.timeLimit = .some(nil) }, { $0.ask = [.name, .no] },
                       { $0.questionEn = "Other?" }, { $0.questionKo = "다른?" }, { $0.touch = true }] {
            var refused = PackSettingsChange()
            frozen(&refused)
            refused.consent = "Not kept either."
            XCTAssertThrowsError(try store.setPackSettings(id: id, refused)) { XCTAssertEqual($0 as? StoreError, .packHasReplies) }
        }
        XCTAssertEqual(try store.pack(id: id)?.settings.consent, "I agree.", "a refused change changes nothing")
        var same = PackSettingsChange()
        same.timeLimit = .some(2.0)
        same.ask = [.no]
        same.consent = "I agree, version 2."
        same.completionURL = "https://example.org/done?w={workerId}"
        XCTAssertEqual(try store.setPackSettings(id: id, same)?.settings.consent, "I agree, version 2.",
                       "frozen fields sent unchanged, consent and completion changed")
        let other = try fixture.openStore()
        XCTAssertEqual(try other.pack(id: id)?.settings.completionURL, "https://example.org/done?w={workerId}")
        // PostgreSQL: a change by this store is seen by the other (a responder beside it) once it is
        // told (SQLite has one responder per file).
        guard backend == .postgresql else { return }
        var later = PackSettingsChange()
        later.completionCode = "DONE1"
        _ = try store.setPackSettings(id: id, later)
        XCTAssertTrue(Wait.until(timeout: 10) { (try? other.pack(id: id))??.settings.completionCode == "DONE1" },
                      "the other store sees the change")
    }

    func repliesKeepRecruitmentConsentAndInput() throws {
        let fixture = try makeFixture()
        let store = fixture.store
        let id = try store.createPack(newPack("p", sex: 1, 20, 29), beforeCommit: {})
        var rich = reply(pack: id, no: "5f1a2b3c4d5e6f7a8b9c0d1e", submissionID: "sub-rich-0001")
        rich.recruitment = #"{"PROLIFIC_PID":"5f1a2b3c4d5e6f7a8b9c0d1e","STUDY_ID":"s1","SESSION_ID":"x-y_z"}"#
        rich.consentedAt = "2026-12-06T20:00:00.123Z"
        rich.consentVersion = "0123456789abcdef"
        rich.input = "touch"
        XCTAssertEqual(try store.insertReply(rich), .inserted(1))
        XCTAssertEqual(try store.insertReply(reply(pack: id, no: "plain", submissionID: "sub-plain-01")), .inserted(2))
        var records: [ReplyRecord] = []
        try store.forEachReply(packID: id) { records.append($0) }
        XCTAssertEqual(records.map(\.recruitment), [rich.recruitment, "{}"])
        XCTAssertEqual(records.map(\.consentedAt), ["2026-12-06T20:00:00.123Z", nil])
        XCTAssertEqual(records.map(\.consentVersion), ["0123456789abcdef", nil])
        XCTAssertEqual(records.map(\.input), ["touch", "keys"])
        XCTAssertEqual(try store.submittedReply(submissionID: "sub-rich-0001")?.packID, id)
        XCTAssertEqual(try store.submittedReply(submissionID: "sub-rich-0001")?.recruitment, rich.recruitment)
        XCTAssertEqual(try store.submittedReply(submissionID: "sub-plain-01")?.recruitment, "{}")
        XCTAssertNil(try store.submittedReply(submissionID: "sub-unknown-1"))
        XCTAssertThrowsError(try fixture.execute("UPDATE replies SET input = 'mouse'"), "the database allows keys and touch only")
    }
}
