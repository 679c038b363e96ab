/// Who may start a pack with a participant number just now (PackSettings.md, "Holding a participant
/// number at start", issue 21): a start with a token holds `(pack, lower(no))` for that token for a
/// while, and every other start for the same number — another token's, or one without a token — is
/// refused until the hold ends, while the same token resumes.
///
/// Holds are not answers: they live where a crash may lose them (SQLite: `holds.sqlite`,
/// `synchronous=OFF`; PostgreSQL: an `UNLOGGED` table, `synchronous_commit = off`). Losing one only
/// lets a second start through, which submit's `Already Participated` still catches.
public protocol StartHolds: Sendable {
    /// Holds the number for `token` for `seconds` from now unless another token holds it: true when
    /// `token` holds it now (a new hold, a renewed one, or one taken over after it ended). One
    /// statement the database decides, so responders sharing it never both win.
    func claim(packID: Int64, no: String, token: String, seconds: Double) throws -> Bool
    /// Whether some token holds the number now: a start without a token only looks, never writes.
    func isHeld(packID: Int64, no: String) throws -> Bool
    /// Whether the call start needs for this pack finishes from memory or a local file, without
    /// waiting on a network or a disk sync, so that start may be answered on the FastCGI event loop;
    /// false: start hands the rest of its answer to a worker thread (`WorkerAnswer`).
    func answersInline(packID: Int64, withToken: Bool) -> Bool
}
