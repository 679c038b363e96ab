import Synchronization
@testable import Psyx

/// A store holding two fixed small packs (one per sex, ages 0–120, three pairs
/// each), never holding a reply, and keeping the last reply it was asked to insert.
final class FixedPacks: ExperimentStore {
    static let packs: [Pack] = [1, 2].map { id in
        Pack(id: Int64(id), name: "fuzz\(id)", sex: id, ageMin: 0, ageMax: 120, date: "2026-01-01T00:00:00Z",
             pairs: (1...3).map { PackPair(number: $0, ori: "p\(id)_0000\($0)_ori.jpg", inv: "p\(id)_0000\($0)_inv.jpg") })
    }

    let lastReply = Mutex<NewReply?>(nil)

    func packSummaries() throws -> [PackSummary] { [] }
    func pack(id: Int64) throws -> Pack? { Self.packs.first { $0.id == id } }
    func suitablePack(sex: Int, age: Int) throws -> Pack? {
        Self.packs.first { $0.sex == sex && ($0.ageMin...$0.ageMax).contains(age) }
    }
    func createPack(_ pack: NewPack, beforeCommit: () throws -> Void) throws -> Int64 {
        throw StoreError.packNameTaken
    }
    func removePack(id: Int64, beforeCommit: (PackSummary) throws -> Void) throws -> PackSummary? { nil }
    func packNames() throws -> Set<String> { [] }
    func hasReply(packID: Int64, participantNo: String) throws -> Bool { false }
    func insertReply(_ reply: NewReply) throws -> ReplyInsertOutcome {
        lastReply.withLock { $0 = reply }
        return .inserted(1)
    }
    func forEachReply(packID: Int64, _ body: (ReplyRecord) throws -> Void) throws {}
    func replyCount(packID: Int64) throws -> Int { 0 }
    func ping() throws {}
    func setPackOpen(id: Int64, open: Bool) throws -> PackSummary? { nil }
    func replies(matching selector: ReplySelector) throws -> Withdrawal { Withdrawal(parts: []) }
    func withdrawReplies(_ selector: ReplySelector, beforeCommit: (Withdrawal) throws -> Void) throws -> Withdrawal {
        Withdrawal(parts: [])
    }
    func replyState(packID: Int64) throws -> ReplyState { ReplyState(count: 0, deleted: 0) }
    func setPackSettings(id: Int64, _ change: PackSettingsChange) throws -> PackSummary? { nil }
    func pack(named name: String) throws -> Pack? { Self.packs.first { $0.name == name } }
    func submittedReply(submissionID: String) throws -> (packID: Int64, recruitment: String)? { nil }
}
