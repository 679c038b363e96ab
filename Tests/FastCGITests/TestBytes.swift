@testable import FastCGI

/// Raw record bytes written out by hand, independent of RecordEncoder, so the
/// tests check the wire format itself rather than the encoder against itself.
enum TestBytes {
    static func header(type: UInt8, id: UInt16, contentLength: Int, padding: Int) -> [UInt8] {
        [1, type, UInt8(id >> 8), UInt8(id & 0xFF), UInt8(contentLength >> 8), UInt8(contentLength & 0xFF), UInt8(padding), 0]
    }

    /// A record with the given content and padding (padding bytes are 0xEE to show they are skipped).
    static func record(type: UInt8, id: UInt16, content: [UInt8] = [], padding: Int = 0) -> [UInt8] {
        header(type: type, id: id, contentLength: content.count, padding: padding)
            + content + [UInt8](repeating: 0xEE, count: padding)
    }

    static func record(_ type: RecordType, id: UInt16, content: [UInt8] = [], padding: Int = 0) -> [UInt8] {
        record(type: type.rawValue, id: id, content: content, padding: padding)
    }

    /// Every record a decoder yields for `bytes` fed in one piece.
    static func decodeAll(_ bytes: [UInt8]) throws -> [Record] {
        var decoder = RecordDecoder()
        decoder.append(bytes)
        var records: [Record] = []
        while let record = try decoder.next() { records.append(record) }
        return records
    }

    static func encode(_ record: Record) -> [UInt8] {
        var bytes: [UInt8] = []
        RecordEncoder.append(record, to: &bytes)
        return bytes
    }
}

/// Records a web server sends, for the assembler tests.
enum Send {
    static func begin(_ id: UInt16, role: UInt16 = 1, flags: UInt8 = 0) -> Record {
        Record(.beginRequest, requestID: id, content: [UInt8(role >> 8), UInt8(role & 0xFF), flags, 0, 0, 0, 0, 0])
    }

    static func params(_ id: UInt16, _ pairs: [(name: String, value: String)]) -> Record {
        Record(.params, requestID: id, content: NameValuePairs.encode(pairs))
    }

    static func endParams(_ id: UInt16) -> Record { Record(.params, requestID: id) }

    static func stdin(_ id: UInt16, _ bytes: [UInt8]) -> Record { Record(.stdin, requestID: id, content: bytes) }

    static func endStdin(_ id: UInt16) -> Record { Record(.stdin, requestID: id) }

    static func abort(_ id: UInt16) -> Record { Record(.abortRequest, requestID: id) }

    /// The exact END_REQUEST bytes with appStatus 0.
    static func endRequestBytes(_ id: UInt16, protocolStatus: UInt8) -> [UInt8] {
        TestBytes.record(.endRequest, id: id, content: [0, 0, 0, 0, protocolStatus, 0, 0, 0])
    }
}
