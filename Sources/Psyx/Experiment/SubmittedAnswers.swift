/// A submit's `answers` member: read as trials in the shape clients send, so the common case
/// costs no JSON tree; any other value kept whole, for `AnswerCheck`'s messages about it.
enum SubmittedAnswers: Equatable {
    /// An array of `[string, number, string, string]`, the strings without escapes.
    case trials([SubmittedTrial])
    case value(JSONValue)
}
