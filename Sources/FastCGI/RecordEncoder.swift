/// Writes records as bytes, straight into the caller's output buffer.
///
/// Every record is padded so that header, content and padding together are a
/// multiple of 8 bytes, as the specification recommends for the receiver's sake.
public enum RecordEncoder {
    /// Appends one record. Content longer than 65535 bytes cannot fit one record;
    /// it is cut into consecutive records of the same type instead of trapping.
    public static func append(_ record: Record, to buffer: inout [UInt8]) {
        if record.content.isEmpty {
            appendEmpty(type: record.type, requestID: record.requestID, to: &buffer)
        } else {
            record.content.withUnsafeBytes {
                appendRecords(type: record.type, requestID: record.requestID, bytes: $0, to: &buffer)
            }
        }
    }

    /// Appends `bytes` as records of `type` of at most 65535 content bytes each
    /// (no terminating empty record; nothing at all for empty input).
    public static func appendStream(_ type: RecordType, requestID: UInt16, bytes: UnsafeRawBufferPointer, to buffer: inout [UInt8]) {
        appendRecords(type: type.rawValue, requestID: requestID, bytes: bytes, to: &buffer)
    }

    /// `appendStream` for bytes held in an array.
    public static func appendStream(_ type: RecordType, requestID: UInt16, bytes: [UInt8], to buffer: inout [UInt8]) {
        bytes.withUnsafeBytes { appendRecords(type: type.rawValue, requestID: requestID, bytes: $0, to: &buffer) }
    }

    /// Appends the empty record that ends a stream.
    public static func appendEndOfStream(_ type: RecordType, requestID: UInt16, to buffer: inout [UInt8]) {
        appendEmpty(type: type.rawValue, requestID: requestID, to: &buffer)
    }

    /// Appends END_REQUEST: the last record of every request, carrying the app's exit status.
    public static func appendEndRequest(requestID: UInt16, appStatus: UInt32, protocolStatus: ProtocolStatus, to buffer: inout [UInt8]) {
        reserve(Record.headerLength + 8, in: &buffer)
        appendHeader(type: RecordType.endRequest.rawValue, requestID: requestID, contentLength: 8, paddingLength: 0, to: &buffer)
        buffer.append(UInt8(truncatingIfNeeded: appStatus >> 24))
        buffer.append(UInt8(truncatingIfNeeded: appStatus >> 16))
        buffer.append(UInt8(truncatingIfNeeded: appStatus >> 8))
        buffer.append(UInt8(truncatingIfNeeded: appStatus))
        buffer.append(protocolStatus.rawValue)
        buffer.append(0)
        buffer.append(0)
        buffer.append(0)
    }

    /// Appends the header of one record whose `contentLength` bytes the caller sends next,
    /// followed by `paddingLength(forContentLength:)` zero bytes.
    static func appendHeader(_ type: RecordType, requestID: UInt16, contentLength: Int, to buffer: inout [UInt8]) {
        reserve(Record.headerLength, in: &buffer)
        appendHeader(type: type.rawValue, requestID: requestID, contentLength: contentLength,
                     paddingLength: paddingLength(forContentLength: contentLength), to: &buffer)
    }

    /// Padding that brings a record (8-byte header plus content) to a multiple of 8.
    static func paddingLength(forContentLength length: Int) -> Int {
        (8 - length % 8) % 8
    }

    private static func appendEmpty(type: UInt8, requestID: UInt16, to buffer: inout [UInt8]) {
        reserve(Record.headerLength, in: &buffer)
        appendHeader(type: type, requestID: requestID, contentLength: 0, paddingLength: 0, to: &buffer)
    }

    private static func appendRecords(type: UInt8, requestID: UInt16, bytes: UnsafeRawBufferPointer, to buffer: inout [UInt8]) {
        guard !bytes.isEmpty else { return }
        let maxChunk = Record.maxContentLength
        let fullChunks = bytes.count / maxChunk
        let rest = bytes.count % maxChunk
        var total = fullChunks * (Record.headerLength + maxChunk + paddingLength(forContentLength: maxChunk))
        if rest > 0 { total += Record.headerLength + rest + paddingLength(forContentLength: rest) }
        reserve(total, in: &buffer)

        var start = 0
        while start < bytes.count {
            let length = min(maxChunk, bytes.count - start)
            let padding = paddingLength(forContentLength: length)
            appendHeader(type: type, requestID: requestID, contentLength: length, paddingLength: padding, to: &buffer)
            buffer.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[start..<(start + length)]))
            for _ in 0..<padding { buffer.append(0) }
            start += length
        }
    }

    private static func appendHeader(type: UInt8, requestID: UInt16, contentLength: Int, paddingLength: Int, to buffer: inout [UInt8]) {
        buffer.append(Record.version)
        buffer.append(type)
        buffer.append(UInt8(truncatingIfNeeded: requestID >> 8))
        buffer.append(UInt8(truncatingIfNeeded: requestID))
        buffer.append(UInt8(truncatingIfNeeded: contentLength >> 8))
        buffer.append(UInt8(truncatingIfNeeded: contentLength))
        buffer.append(UInt8(truncatingIfNeeded: paddingLength))
        buffer.append(0)
    }

    /// Makes room for `count` more bytes, growing geometrically so that many small
    /// appends to one buffer stay linear (a bare reserveCapacity would allocate exactly).
    private static func reserve(_ count: Int, in buffer: inout [UInt8]) {
        let needed = buffer.count + count
        guard buffer.capacity < needed else { return }
        buffer.reserveCapacity(max(needed, buffer.capacity * 2))
    }
}
