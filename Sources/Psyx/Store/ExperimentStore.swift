/// One small interface over the experiment's data, so a PostgreSQL backend can be added later
/// beside `SQLiteStore`. Every method is synchronous and safe to call from any thread.
public protocol ExperimentStore: Sendable {
    /// All packs by id, each with its reply count (never null).
    func packSummaries() throws -> [PackSummary]
    func pack(id: Int64) throws -> Pack?
    /// The pack whose sex matches and whose age range holds `age` (`age_min <= age <= age_max`).
    func suitablePack(sex: Int, age: Int) throws -> Pack?
    /// Inserts the pack inside one write transaction; `beforeCommit` runs inside it after the row is
    /// written (the caller renames the staged folder into place there); if it throws, the transaction
    /// rolls back and the error is rethrown. Name taken → `StoreError.packNameTaken`; another pack of
    /// the same sex with an overlapping age range → `StoreError.conditionOverlap` (both checked inside
    /// the transaction).
    func createPack(_ pack: NewPack, beforeCommit: () throws -> Void) throws -> Int64
    /// Deletes the pack and its replies (cascade) inside one write transaction; `beforeCommit` runs
    /// inside it with the pack's summary (the caller moves the folder away there); if it throws, the
    /// transaction rolls back and the error is rethrown. Returns the deleted pack's summary, nil
    /// when unknown (then `beforeCommit` is not called).
    func removePack(id: Int64, beforeCommit: (PackSummary) throws -> Void) throws -> PackSummary?
    /// The names of all packs, for start-up reconciliation of pack folders.
    func packNames() throws -> Set<String>
    /// Whether `participantNo` has replied to the pack, the number compared case-insensitively.
    func hasReply(packID: Int64, participantNo: String) throws -> Bool
    /// Durable when it returns: a reply answered with 200 survives a crash of the process and of the
    /// machine. Same `submissionID` already stored for this pack and participant → `.alreadyStored(id)`
    /// and nothing new, stored for another → `.submissionIDTaken`; same `no` (in any letter case)
    /// already replied to this pack → `.alreadyParticipated`; pack deleted meanwhile → `.unknownPack`.
    /// The backend's constraints enforce all of these, not the process.
    func insertReply(_ reply: NewReply) throws -> ReplyInsertOutcome
    /// Streams the pack's replies by `r_id` without loading them all (one row in memory at a time).
    func forEachReply(packID: Int64, _ body: (ReplyRecord) throws -> Void) throws
    func replyCount(packID: Int64) throws -> Int
    /// A cheap query proving the database answers (for `/api/health`).
    func ping() throws
    /// A number that changes whenever data may have been committed since an earlier call, by this
    /// process or any other (a bulk import, a researcher's shell): equal numbers from the same store
    /// mean nothing changed in between, so an answer rendered from the data may be reused (see
    /// `VersionedAnswer`). nil when the backend cannot tell: callers then reuse nothing. Spurious
    /// changes are allowed (they only cost a re-read). SQLite: `PRAGMA data_version` on a connection
    /// that never writes (`ChangeWatch`); PostgreSQL could keep a counter bumped by triggers.
    func dataVersion() throws -> Int64?

    // MARK: Open and closed packs, withdrawal (schema version 4)

    /// Opens or closes the pack in one write transaction and returns its summary as it now is; nil
    /// when unknown. Closed packs are never `suitablePack`s and block no other pack's condition;
    /// opening one that overlaps an open pack of the same sex → `StoreError.conditionOverlap`
    /// (checked inside the transaction, and by the database whoever writes). Setting the state a
    /// pack already has changes nothing and succeeds.
    func setPackOpen(id: Int64, open: Bool) throws -> PackSummary?
    /// How many replies `selector` names, per pack: what a withdrawal would delete now.
    func replies(matching selector: ReplySelector) throws -> Withdrawal
    /// Deletes every reply `selector` names in one write transaction (reply counts follow by
    /// trigger); `beforeCommit` runs inside it with what is being deleted, and if it throws, the
    /// transaction rolls back and the error is rethrown. An empty withdrawal deletes nothing.
    func withdrawReplies(_ selector: ReplySelector, beforeCommit: (Withdrawal) throws -> Void) throws -> Withdrawal
    /// The pack's reply count and how many replies were ever deleted from it ((0, 0) when unknown).
    func replyState(packID: Int64) throws -> ReplyState

    // MARK: Settings, recruitment, consent (SQLite schema 5, PostgreSQL schema 4; PackSettings.md)

    /// Applies `change` to the pack's settings in one write transaction and returns its summary as it
    /// now is; nil when unknown. A change of `ask`, a question, the time limit or touch on a pack
    /// with replies → `StoreError.packHasReplies` (decided inside the transaction; nothing changes).
    func setPackSettings(id: Int64, _ change: PackSettingsChange) throws -> PackSummary?
    /// The pack named `name` (as `pack(id:)`, from the same cache), nil when none.
    func pack(named name: String) throws -> Pack?
    /// The pack and recruitment IDs (JSON object text) of the reply stored with `submissionID`.
    func submittedReply(submissionID: String) throws -> (packID: Int64, recruitment: String)?
}

extension ExperimentStore {
    /// Removes a pack with nothing else to do inside its transaction.
    public func removePack(id: Int64) throws -> PackSummary? {
        try removePack(id: id) { _ in }
    }

    /// Backends that cannot tell when their data changed never let an answer be reused.
    public func dataVersion() throws -> Int64? { nil }
}
