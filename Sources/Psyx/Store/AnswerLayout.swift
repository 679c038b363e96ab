/// Which of a trial's two file names was shown on the left, stored with every reply (spec §3.2):
/// every client sends `[key, rt, X, Y]` with X, Y a pair in `pic_pairs` order, but the original
/// page shows Y on the left and psyx's own page shows X there, so the same array means opposite
/// choices. Readers of `answers` (CSV, classification images, infoVal) take the sides from here.
public enum AnswerLayout: String, Sendable, CaseIterable {
    /// `[key, rt, left, right]`: psyx's own page, and every reply stored before the layout was recorded.
    case leftRight = "key,rt,left,right"
    /// `[key, rt, right, left]`: the original client (its `testing.js` shows element 3 on the left).
    case rightLeft = "key,rt,right,left"

    /// A trial's elements 3 and 4 (X, Y) as the faces shown on the left and on the right.
    @inline(__always)
    public func sides<Name>(_ x: Name, _ y: Name) -> (left: Name, right: Name) {
        self == .leftRight ? (x, y) : (y, x)
    }
}
