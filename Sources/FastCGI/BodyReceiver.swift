/// Takes a request's body as its STDIN records arrive, so a large upload is
/// processed while it is still being sent instead of being spooled to a file
/// and read back (spec §3.1 uploads: half the disk writes, no spool to sync).
///
/// A responder offers one from `Responder.bodyReceiver(for:)`. The server still
/// counts the bytes and applies the body limit and the CONTENT_LENGTH check;
/// when it refuses the body, or the request is aborted or its connection lost,
/// it drops the receiver without ever calling `respond`, so a receiver must
/// undo what it started (temporary files) when it is released. Otherwise the
/// request reaches `respond` with `body.receiver` set to it.
/// Used on its connection's thread only.
public protocol BodyReceiver: AnyObject, Sendable {
    /// The next bytes of the body, in order; valid only during the call.
    func receive(_ bytes: UnsafeRawBufferPointer)
}
