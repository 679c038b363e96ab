/// Why a `multipart/form-data` body was refused. Every case is the client's
/// fault (a 400), never the server's.
public enum MultipartError: Error, Equatable, Sendable {
    /// The body ended before the closing `--boundary--` was seen
    /// (a truncated upload, a body that is not multipart at all, or an empty one).
    case missingFinalBoundary
    /// A part's header block has a line that is not `Name: value`, a bare CR or LF,
    /// or a `Content-Disposition` that cannot be parsed (an unterminated quote).
    case malformedHeaders
    /// A part's header block is longer than `Limits.maxPartHeaderBytes`.
    case headerTooLarge
    /// The body has more parts than `Limits.maxParts`.
    case tooManyParts
    /// A part has no `Content-Disposition: form-data` header with a `name` parameter.
    case missingContentDisposition
    /// A boundary is followed by something other than CRLF (after optional
    /// spaces) or `--`; this includes LF-only line endings, which are not accepted.
    case malformedBoundaryLine
}
