#if canImport(Glibc)
import Glibc
#endif

/// Turns one response into STDOUT records and END_REQUEST on a connection.
///
/// Output is gathered into one buffer and written in large pieces, so a small
/// answer costs a single `write` and a large one streams in ~64 KiB records.
final class ResponseWriter: BodySink {
    private let fd: Int32
    private let requestID: UInt16
    private var raw: [UInt8] = []
    private var out: [UInt8] = []
    private(set) var failed = false
    private static let flushThreshold = 65535

    init(fd: Int32, requestID: UInt16) {
        self.fd = fd
        self.requestID = requestID
        // Small answers fit; a streamed one grows it to the flush threshold.
        raw.reserveCapacity(4096)
    }

    /// Sends a whole response and ends the request; false when the peer is gone.
    func send(_ response: Response) -> Bool {
        writeHead(status: response.status, headers: response.headers)
        switch response.body {
        case .bytes(let bytes) where raw.count + bytes.count <= Record.maxContentLength:
            return sendOneRecord(bytes)
        case .bytes(let bytes):
            do { try write(bytes) } catch { return false }
        case .stream(let produce):
            do { try produce(self) } catch {
                // Headers may already be out: the only honest signal left is
                // to drop the connection without END_REQUEST.
                return false
            }
        }
        return finish()
    }

    func writeHead(status: Int, headers: [(name: String, value: String)]) {
        raw.append(contentsOf: "Status: ".utf8)
        if (100...999).contains(status) {
            raw.append(UInt8(0x30 + status / 100))
            raw.append(UInt8(0x30 + status / 10 % 10))
            raw.append(UInt8(0x30 + status % 10))
        } else {
            raw.append(contentsOf: String(status).utf8)
        }
        raw.append(0x20)
        raw.append(contentsOf: HTTPStatusText.reason(for: status).utf8)
        raw.append(contentsOf: [0x0D, 0x0A])
        for (name, value) in headers {
            appendClean(name)
            raw.append(contentsOf: [0x3A, 0x20])
            appendClean(value)
            raw.append(contentsOf: [0x0D, 0x0A])
        }
        raw.append(contentsOf: [0x0D, 0x0A])
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard !failed else { throw ResponseWriterError.peerGone }
        raw.append(contentsOf: bytes)
        if raw.count >= Self.flushThreshold {
            encodeRaw()
            try flush()
        }
    }

    /// A small answer as one STDOUT record: the head and the record framing in one buffer, the
    /// body written from where it lies (one `writev`, no copy of the body).
    private func sendOneRecord(_ body: [UInt8]) -> Bool {
        var front: [UInt8] = []
        front.reserveCapacity(Record.headerLength + raw.count)
        let length = raw.count + body.count
        RecordEncoder.appendHeader(.stdout, requestID: requestID, contentLength: length, to: &front)
        front.append(contentsOf: raw)
        raw.removeAll(keepingCapacity: true)
        var back = [UInt8](repeating: 0, count: RecordEncoder.paddingLength(forContentLength: length))
        RecordEncoder.appendEndOfStream(.stdout, requestID: requestID, to: &back)
        RecordEncoder.appendEndRequest(requestID: requestID, appStatus: 0, protocolStatus: .requestComplete, to: &back)
        return front.withUnsafeBytes { front in
            body.withUnsafeBytes { body in
                back.withUnsafeBytes { FileDescriptorIO.writeAll(fd, pieces: [front, body, $0]) }
            }
        }
    }

    /// Ends STDOUT and the request.
    func finish() -> Bool {
        encodeRaw()
        RecordEncoder.appendEndOfStream(.stdout, requestID: requestID, to: &out)
        RecordEncoder.appendEndRequest(requestID: requestID, appStatus: 0, protocolStatus: .requestComplete, to: &out)
        do { try flush() } catch { return false }
        return true
    }

    private func encodeRaw() {
        guard !raw.isEmpty else { return }
        raw.withUnsafeBytes { RecordEncoder.appendStream(.stdout, requestID: requestID, bytes: $0, to: &out) }
        raw.removeAll(keepingCapacity: true)
    }

    private func flush() throws {
        guard !out.isEmpty else { return }
        let ok = out.withUnsafeBytes { FileDescriptorIO.writeAll(fd, $0) }
        out.removeAll(keepingCapacity: true)
        if !ok {
            failed = true
            throw ResponseWriterError.peerGone
        }
    }

    /// Header names and values never carry line breaks (no response splitting).
    private func appendClean(_ text: String) {
        var text = text
        text.withUTF8 { bytes in
            for byte in bytes where byte == 0x0D || byte == 0x0A {
                return raw.append(contentsOf: bytes.lazy.filter { $0 != 0x0D && $0 != 0x0A })
            }
            raw.append(contentsOf: bytes)
        }
    }
}

enum ResponseWriterError: Error {
    case peerGone
}
