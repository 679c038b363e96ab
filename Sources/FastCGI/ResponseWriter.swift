#if canImport(Glibc)
import Glibc
#endif

/// Turns one response into STDOUT records and END_REQUEST on a connection.
///
/// Output is gathered into one buffer and written in large pieces, so a small
/// answer costs a single `write` and a large one streams in ~64 KiB records.
final class ResponseWriter: BodySink {
    /// How an answer went out on an event loop, which never waits for the peer.
    enum Immediate: Equatable {
        case sent
        /// The peer is gone.
        case failed
        /// The socket took only part: the rest, for a worker to write.
        case rest([UInt8])
        /// A streamed answer, never produced on the loop: a worker sends it whole.
        case notBegun
    }

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
        if case .deferred(let make) = response.body { return send(make()) }  // never on a loop: see below
        writeHead(status: response.status, headers: response.headers)
        switch response.body {
        case .bytes(let bytes):
            return sendWhole(bytes)
        case .deferred:
            return false  // made above
        case .stream(let produce):
            do { try produce(self) } catch {
                // Headers may already be out: the only honest signal left is
                // to drop the connection without END_REQUEST.
                return false
            }
        }
        return finish()
    }

    /// On an event loop: an answer held in memory goes out as far as the socket takes it now,
    /// with the same single `sendmsg` a waiting write would make; a streamed or deferred one is
    /// not begun (a worker sends it, `send`).
    func sendWithoutWaiting(_ response: Response) -> Immediate {
        guard case .bytes(let body) = response.body else { return .notBegun }
        writeHead(status: response.status, headers: response.headers)
        return withWholeAnswer(body) { pieces -> Immediate in
            let taken = FileDescriptorIO.sendWithoutWaiting(fd, pieces: pieces)
            guard taken >= 0 else { return .failed }
            var rest: [UInt8] = []
            var skip = taken
            for piece in pieces {
                if skip >= piece.count {
                    skip -= piece.count
                } else {
                    rest.append(contentsOf: UnsafeRawBufferPointer(rebasing: piece[skip...]))
                    skip = 0
                }
            }
            return rest.isEmpty ? .sent : .rest(rest)
        }
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

    /// An answer held in memory, in one `writev` that gathers the record framing around the body
    /// where it lies (no copy of the body).
    private func sendWhole(_ body: [UInt8]) -> Bool {
        withWholeAnswer(body) { FileDescriptorIO.writeAll(fd, pieces: $0) }
    }

    /// The pieces of a whole answer, record framing around the body where it lies: a small one is
    /// a single STDOUT record with the head; a larger one is the head's record followed by the
    /// body's records of at most 65535 bytes.
    private func withWholeAnswer<T>(_ body: [UInt8], _ write: ([UnsafeRawBufferPointer]) -> T) -> T {
        var framing: [UInt8] = []
        var cuts: [(framingEnd: Int, body: Range<Int>)] = []
        let oneRecord = raw.count + body.count <= Record.maxContentLength
        let headLength = oneRecord ? raw.count + body.count : raw.count
        RecordEncoder.appendHeader(.stdout, requestID: requestID, contentLength: headLength, to: &framing)
        framing.append(contentsOf: raw)
        raw.removeAll(keepingCapacity: true)
        var pendingPadding = RecordEncoder.paddingLength(forContentLength: headLength)
        var offset = 0
        if oneRecord {
            cuts.append((framing.count, 0..<body.count))
            offset = body.count
        }
        while offset < body.count {
            let length = min(Record.maxContentLength, body.count - offset)
            framing.append(contentsOf: repeatElement(0, count: pendingPadding))
            RecordEncoder.appendHeader(.stdout, requestID: requestID, contentLength: length, to: &framing)
            cuts.append((framing.count, offset..<(offset + length)))
            pendingPadding = RecordEncoder.paddingLength(forContentLength: length)
            offset += length
        }
        framing.append(contentsOf: repeatElement(0, count: pendingPadding))
        RecordEncoder.appendEndOfStream(.stdout, requestID: requestID, to: &framing)
        RecordEncoder.appendEndRequest(requestID: requestID, appStatus: 0, protocolStatus: .requestComplete, to: &framing)
        return framing.withUnsafeBytes { framing in
            body.withUnsafeBytes { body in
                var pieces: [UnsafeRawBufferPointer] = []
                pieces.reserveCapacity(cuts.count * 2 + 1)
                var start = 0
                for cut in cuts {
                    pieces.append(UnsafeRawBufferPointer(rebasing: framing[start..<cut.framingEnd]))
                    pieces.append(UnsafeRawBufferPointer(rebasing: body[cut.body]))
                    start = cut.framingEnd
                }
                pieces.append(UnsafeRawBufferPointer(rebasing: framing[start...]))
                return write(pieces)
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
