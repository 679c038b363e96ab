/// The relocation service's data (levels, contents, jobs) behind one small interface, like
/// `ExperimentStore`. Every method is synchronous, safe from any thread, and each state change is
/// one write transaction. Times are Unix seconds passed in by the caller, so leases can be tested.
public protocol RelocationStore: Sendable {
    /// The levels, validated (bottom first).
    func levelSet() throws -> LevelSet
    /// Creates or changes the given levels (by name) as one validated set; refused with
    /// `RelocationError.invalidLevels` when the result would overlap or leave a gap.
    func setLevels(_ changes: [Level]) throws -> LevelSet
    /// Removes a level that no content or job refers to; the rest must still be a valid set.
    func removeLevel(named name: String) throws -> LevelSet

    /// All contents by cid.
    func contents() throws -> [Content]
    func content(cid: Int64) throws -> Content?
    /// Registers a content file in `level`; `verify` runs inside the transaction with that level and
    /// throws when the file is not there.
    func addContent(cid: Int64, level: String, filename: String, now: Double,
                    verify: (Level) throws -> Void) throws -> Content

    /// All jobs by cid.
    func jobs() throws -> [RelocationJob]
    func job(cid: Int64) throws -> RelocationJob?
    /// `/post_sentence`: reads the content, chooses the level for `count` (raising the top's
    /// `maxCounts` when the count is above it), and writes the job unless a worker holds it — in one
    /// transaction. Returns the job as stored. Unknown cid → `RelocationError.unknownContent`.
    func post(cid: Int64, count: Int64, now: Double) throws -> RelocationJob
    /// `/update_sentence`: when the job is `done`, moves the content to the target level, sets its
    /// `update_time`, clears the job and returns true; otherwise changes nothing and returns false.
    func commit(cid: Int64, now: Double) throws -> Bool

    /// Takes one job in status `update` that no live lease holds, for `workerID` until `now + lease`.
    func claim(workerID: String, lease: Double, now: Double) throws -> ClaimedJob?
    /// Extends a held lease; false when the job is no longer this worker's.
    func renew(cid: Int64, workerID: String, until: Double) throws -> Bool
    /// Marks the worker's job `done` and applies it to the content (level and `update_time`); the job
    /// stays, as `done`, until `/update_sentence` clears it. False when the job is no longer the worker's.
    func complete(cid: Int64, workerID: String, now: Double) throws -> Bool
    /// Gives a job back unfinished; no worker takes it again before `retryAt` (nil: at once).
    func release(cid: Int64, workerID: String, retryAt: Double?) throws
}

/// A job a worker has claimed, with the levels as they were at the claim (to find the folders).
public struct ClaimedJob: Sendable, Equatable {
    public var job: RelocationJob
    public var levels: LevelSet
}
