/// What a `MultipartParser` reports as it reads a `multipart/form-data` body.
///
/// A part is always `partBegin`, then zero or more `partData`, then `partEnd`.
/// Data arrives in pieces as the body does, so a handler can stream a 300 MB
/// file to disk without holding it in memory.
public enum MultipartEvent: Equatable, Sendable {
    /// A part starts; its headers are complete.
    case partBegin(PartHeaders)
    /// The next bytes of the current part's content (never empty).
    case partData([UInt8])
    /// The current part's content is complete.
    case partEnd
}
