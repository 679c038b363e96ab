/// The experiment store of a responder whose database cannot hold the experiment yet (PostgreSQL until
/// its experiment store exists): every call fails with the reason, so experiment requests answer 500
/// and the log says why — the relocation service on the same responder keeps working.
struct UnavailableExperimentStore: ExperimentStore {
    let reason: String

    private func refuse() -> StoreError { .failure(reason) }

    func packSummaries() throws -> [PackSummary] { throw refuse() }
    func pack(id: Int64) throws -> Pack? { throw refuse() }
    func suitablePack(sex: Int, age: Int) throws -> Pack? { throw refuse() }
    func createPack(_ pack: NewPack, beforeCommit: () throws -> Void) throws -> Int64 { throw refuse() }
    func removePack(id: Int64, beforeCommit: (PackSummary) throws -> Void) throws -> PackSummary? { throw refuse() }
    func packNames() throws -> Set<String> { throw refuse() }
    func hasReply(packID: Int64, participantNo: String) throws -> Bool { throw refuse() }
    func insertReply(_ reply: NewReply) throws -> ReplyInsertOutcome { throw refuse() }
    func forEachReply(packID: Int64, _ body: (ReplyRecord) throws -> Void) throws { throw refuse() }
    func replyCount(packID: Int64) throws -> Int { throw refuse() }
    func ping() throws { throw refuse() }
    func setPackOpen(id: Int64, open: Bool) throws -> PackSummary? { throw refuse() }
    func replies(matching selector: ReplySelector) throws -> Withdrawal { throw refuse() }
    func withdrawReplies(_ selector: ReplySelector, beforeCommit: (Withdrawal) throws -> Void) throws -> Withdrawal { throw refuse() }
    func replyState(packID: Int64) throws -> ReplyState { throw refuse() }
}
