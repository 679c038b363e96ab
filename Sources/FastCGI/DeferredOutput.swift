/// What an event loop could not write without waiting for the peer: a worker writes it, blocking
/// (within the send timeout), before it goes on with the connection's records.
enum DeferredOutput {
    /// The rest of bytes the socket took only part of: a record the assembler wrote, or an
    /// answer held in memory.
    case rest([UInt8])
    /// An answer not begun: a streamed body is never produced on the loop.
    case response(Response, requestID: UInt16)
}
