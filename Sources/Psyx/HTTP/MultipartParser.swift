/// A streaming parser for `multipart/form-data` bodies (RFC 7578, RFC 2046).
///
/// A pure value: feed it the body's bytes as they arrive, in chunks of any size,
/// and it returns the events they complete. It keeps at most the delimiter's
/// length (boundary + 4 bytes) of part content between calls, plus one part's
/// header block while it is incomplete, so memory does not grow with the upload.
///
/// Accepted: a preamble and an epilogue (both ignored), spaces or tabs after a
/// boundary, header names in any case, obsolete folded header lines.
/// Refused: LF-only line endings (`malformedBoundaryLine` or `malformedHeaders`)
/// — browsers, curl and Python `requests` all send CRLF. After an error the
/// parser stays failed: every later call throws the same error.
public struct MultipartParser: Sendable {
    /// How much a client may make the parser hold or produce.
    public struct Limits: Sendable {
        /// The longest header block of one part, from after its boundary line
        /// through the blank line that ends it.
        public var maxPartHeaderBytes: Int
        /// The most parts a body may have (a 300-pair pack is 600 files plus a few fields).
        public var maxParts: Int

        public init(maxPartHeaderBytes: Int = 16 * 1024, maxParts: Int = 5000) {
            self.maxPartHeaderBytes = maxPartHeaderBytes
            self.maxParts = maxParts
        }
    }

    enum State: Sendable {
        /// Before the first boundary: bytes are discarded.
        case preamble
        /// Just past a delimiter: expecting CRLF (a part follows) or `--` (the end).
        case afterDelimiter
        /// Inside a header block; offsets count from the block's first byte.
        case headers(lineStart: Int, scanFrom: Int)
        /// Inside a part's content.
        case data
        /// After the closing boundary: bytes are discarded.
        case epilogue
        case failed(MultipartError)
    }

    /// `CRLF--boundary`: what ends a part's content.
    let delimiter: [UInt8]
    let limits: Limits
    var state: State = .preamble
    /// Bytes received but not yet decided on (a possible delimiter prefix, an
    /// unfinished header block). It starts with a CRLF so that a boundary on the
    /// body's first line is found like any other.
    var buffer: [UInt8] = [13, 10]
    var partCount = 0

    /// Spaces or tabs allowed between a boundary and its CRLF.
    static let maxTransportPadding = 256

    /// `boundary` should come from `boundary(fromContentType:)`.
    public init(boundary: String, limits: Limits = Limits()) {
        delimiter = Array("\r\n--\(boundary)".utf8)
        self.limits = limits
    }

    /// Extracts the boundary from a Content-Type like
    /// `multipart/form-data; boundary=----x` (quoted or not); nil if the type is
    /// not `multipart/form-data` or the boundary is missing or invalid
    /// (1–70 printable ASCII characters, not ending in a space).
    public static func boundary(fromContentType contentType: String) -> String? {
        guard let value = HeaderValue(contentType.utf8),
              value.type == "multipart/form-data",
              let boundary = value.parameters["boundary"]
        else { return nil }
        let bytes = boundary.utf8
        guard (1...70).contains(bytes.count),
              bytes.allSatisfy({ (0x20...0x7E).contains($0) }),
              bytes.last != UInt8(ascii: " ")
        else { return nil }
        return boundary
    }

    /// True once the closing boundary has been seen; later bytes are ignored.
    public var isFinished: Bool {
        if case .epilogue = state { return true }
        return false
    }

    /// Feeds the next chunk of the body; returns the events it completes. Data
    /// of a part may arrive as many `.partData` events.
    public mutating func feed(_ bytes: UnsafeRawBufferPointer) throws(MultipartError) -> [MultipartEvent] {
        if case .failed(let error) = state { throw error }
        var events: [MultipartEvent] = []
        do throws(MultipartError) {
            if buffer.isEmpty {
                // The common case inside a large part: read the caller's bytes in place.
                let used = try process(bytes, into: &events)
                if used < bytes.count {
                    buffer.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[used...]))
                }
            } else {
                var work = buffer
                buffer = []
                work.append(contentsOf: bytes)
                // withUnsafeBytes is untyped `rethrows`; a Result keeps the error typed.
                let used = try work.withUnsafeBytes { raw in
                    Result { () throws(MultipartError) -> Int in try process(raw, into: &events) }
                }.get()
                buffer = used == 0 ? work : Array(work[used...])
            }
        } catch {
            state = .failed(error)
            buffer = []
            throw error
        }
        return events
    }

    /// Convenience for tests and small bodies.
    public mutating func feed(_ bytes: [UInt8]) throws(MultipartError) -> [MultipartEvent] {
        try bytes.withUnsafeBytes { raw in
            Result { () throws(MultipartError) -> [MultipartEvent] in try feed(raw) }
        }.get()
    }

    /// The body has ended: throws `MultipartError.missingFinalBoundary` unless
    /// the closing boundary was seen (or the error that already failed the parser).
    public mutating func finish() throws(MultipartError) {
        switch state {
        case .epilogue:
            return
        case .failed(let error):
            throw error
        case .preamble, .afterDelimiter, .headers, .data:
            state = .failed(.missingFinalBoundary)
            buffer = []
            throw .missingFinalBoundary
        }
    }
}
