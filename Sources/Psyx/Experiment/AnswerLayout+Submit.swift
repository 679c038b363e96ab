/// The layout of a submit's `answers` (spec §3.2), decided once and stored with the reply, so no
/// reader of the stored answers has to guess.
extension AnswerLayout {
    /// The body's `layout` member when it has one (psyx's page sends `"key,rt,left,right"`).
    /// Without one:
    /// - no `submission_id`: the original client (`testing.js` never sends one), whose arrays
    ///   show element 3 on the left;
    /// - a `submission_id`: psyx's own page as shipped before the marker (every version sends
    ///   one; a page loaded before an upgrade, or cached, still submits that way), whose arrays
    ///   are `[key, rt, left, right]`.
    ///
    /// Any other `layout` value is a 400: a reply is never stored with a meaning guessed from it.
    static func ofSubmit(marker: JSONValue?, submissionID: String?) throws(APIError) -> AnswerLayout {
        let value = JSONFieldValue(marker)
        switch value {
        case .missing, .null: return submissionID == nil ? .rightLeft : .leftRight
        case .string(let text): if let layout = AnswerLayout(rawValue: text) { return layout }
        default: break
        }
        throw .badRequest(ExperimentRoutes.sentence("Invalid Layout", value.displayText))
    }
}
