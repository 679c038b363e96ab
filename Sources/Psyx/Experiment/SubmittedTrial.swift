/// One answer of a submit as sent, `[key, rt, left, right]`, by where its parts lie in the body:
/// the strings' bytes between their quotes (no escapes), the reaction time's text and value.
struct SubmittedTrial: Equatable {
    var key: Range<Int>
    var rt: Range<Int>
    var rtValue: Double
    var left: Range<Int>
    var right: Range<Int>
}
