/// Turns the bytes of a connection into records, whatever way the bytes were cut.
///
/// A pure value: the connection appends what it read and pulls complete records;
/// a record cut short simply waits for more bytes (EOF is the connection's business).
/// Bytes are consumed by moving a read index, and the buffer is compacted only when
/// the consumed part outweighs the rest, so decoding stays linear in the input.
public struct RecordDecoder: Sendable {
    private var buffer: [UInt8] = []
    private var readIndex = 0

    public init() {}

    /// Bytes received but not yet returned as records.
    public var bufferedByteCount: Int { buffer.count - readIndex }

    /// Bytes held in storage, consumed ones included (lets tests see compaction work).
    var storedByteCount: Int { buffer.count }

    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        guard !bytes.isEmpty else { return }
        compactIfWorthwhile()
        buffer.append(contentsOf: bytes)
    }

    public mutating func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { append($0) }
    }

    /// The next complete record, or nil when more bytes are needed.
    ///
    /// Throws `FastCGIError.unsupportedVersion` as soon as a record starts with a
    /// version other than 1: nothing after it can be trusted, so the connection is
    /// closed. The offending bytes stay buffered, so asking again throws again.
    public mutating func next() throws -> Record? {
        let available = buffer.count - readIndex
        guard available > 0 else { return nil }
        let version = buffer[readIndex]
        guard version == Record.version else { throw FastCGIError.unsupportedVersion(version) }
        guard available >= Record.headerLength else { return nil }

        let type = buffer[readIndex + 1]
        let requestID = UInt16(buffer[readIndex + 2]) << 8 | UInt16(buffer[readIndex + 3])
        let contentLength = Int(buffer[readIndex + 4]) << 8 | Int(buffer[readIndex + 5])
        let paddingLength = Int(buffer[readIndex + 6])
        // buffer[readIndex + 7] is reserved.
        let recordLength = Record.headerLength + contentLength + paddingLength
        guard available >= recordLength else { return nil }

        let contentStart = readIndex + Record.headerLength
        let content = Array(buffer[contentStart..<(contentStart + contentLength)])
        readIndex += recordLength
        if readIndex == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            readIndex = 0
        }
        return Record(type: type, requestID: requestID, content: content)
    }

    /// Drops consumed bytes once they are at least as many as the unread ones,
    /// so each byte is moved at most a bounded number of times.
    private mutating func compactIfWorthwhile() {
        guard readIndex > 0, readIndex >= buffer.count - readIndex else { return }
        buffer.removeSubrange(0..<readIndex)
        readIndex = 0
    }
}
