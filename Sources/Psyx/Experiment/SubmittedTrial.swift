/// One answer of a submit as sent, `[key, rt, X, Y]`, by where its parts lie in the body:
/// the strings' bytes between their quotes (no escapes), the reaction time's text and value.
/// Which of X and Y was shown on the left is the reply's `AnswerLayout`.
struct SubmittedTrial: Equatable {
    var key: Range<Int>
    var rt: Range<Int>
    var rtValue: Double
    var x: Range<Int>
    var y: Range<Int>
}
