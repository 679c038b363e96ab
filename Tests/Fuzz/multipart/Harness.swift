@testable import Psyx

/// Fuzzes `MultipartParser` with what a client controls: the input's first line
/// is the Content-Type header (its boundary goes through `boundary(fromContentType:)`),
/// the rest is the body.
///
/// Beyond "no crash": the body parsed in one piece, cut at random points, and
/// (when short) one byte at a time gives the same events and the same error;
/// events follow the part grammar; part data never contains the delimiter;
/// the parser's buffer stays bounded; a failed parser stays failed; file names
/// reduce to safe base names.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = fuzzInput(data, size)
    let lineEnd = input.firstIndex(of: UInt8(ascii: "\n")) ?? input.count
    let contentType = String(decoding: input[..<lineEnd], as: UTF8.self)
    guard let boundary = MultipartParser.boundary(fromContentType: contentType) else { return 0 }
    let body = Array(input[min(lineEnd + 1, input.count)...])
    var random = SplitMix64(hashing: input)

    let whole = ParsedBody(body, boundary: boundary, pieces: [0..<body.count])
    let cut = ParsedBody(body, boundary: boundary, pieces: random.pieces(of: body.count, cuts: 2))
    require(whole == cut, "cutting the body changed the result: \(whole.error.map { "\($0)" } ?? "ok") vs \(cut.error.map { "\($0)" } ?? "ok")")
    if body.count <= 512 {
        let bytewise = ParsedBody(body, boundary: boundary, pieces: (0..<body.count).map { $0..<($0 + 1) })
        require(whole == bytewise, "feeding one byte at a time changed the result")
    }
    return 0
}

/// What a parser made of a body fed in given pieces, with the checks that hold for any one run.
struct ParsedBody: Equatable {
    /// Events with consecutive `partData` merged (their cutting depends on the pieces).
    /// Compared only when the body parsed: a failing `feed` drops its events, so
    /// how many a failed run saw depends on the pieces.
    var events: [MultipartEvent] = []
    var error: MultipartError?

    static let limits = MultipartParser.Limits(maxPartHeaderBytes: 512, maxParts: 16)

    init(_ body: [UInt8], boundary: String, pieces: [Range<Int>]) {
        var parser = MultipartParser(boundary: boundary, limits: Self.limits)
        let delimiter = Array("\r\n--\(boundary)".utf8)
        let bufferBound = max(Self.limits.maxPartHeaderBytes, delimiter.count, MultipartParser.maxTransportPadding + 3)
        var seen: [MultipartEvent] = []
        do throws(MultipartError) {
            for piece in pieces {
                let slice = Array(body[piece])
                seen += try slice.withUnsafeBytes { raw in
                    Result { () throws(MultipartError) -> [MultipartEvent] in try parser.feed(raw) }
                }.get()
                require(parser.buffer.count <= bufferBound, "parser holds \(parser.buffer.count) bytes")
            }
            try parser.finish()
            require(parser.isFinished, "finish() passed but the parser is not finished")
            let after = try parser.feed(Array("\r\n--\(boundary)\r\nx".utf8))
            require(after.isEmpty, "events after the closing boundary")
        } catch {
            self.error = error
            do throws(MultipartError) {
                _ = try parser.feed([0x0D, 0x0A])
                require(false, "a failed parser accepted more bytes")
            } catch let again {
                require(again == error, "a failed parser changed its error")
            }
        }
        Self.checkGrammar(seen, delimiter: delimiter, complete: error == nil)
        if error == nil { events = Self.merged(seen) }
    }

    /// (partBegin partData* partEnd)*, then, if the body did not parse, possibly
    /// one unfinished part; data never empty and never containing the delimiter.
    static func checkGrammar(_ events: [MultipartEvent], delimiter: [UInt8], complete: Bool) {
        var inPart = false
        var parts = 0
        var data: [UInt8] = []
        for event in events {
            switch event {
            case .partBegin(let headers):
                require(!inPart, "partBegin inside a part")
                inPart = true
                parts += 1
                data = []
                checkFilename(headers)
            case .partData(let bytes):
                require(inPart && !bytes.isEmpty, "partData outside a part or empty")
                data += bytes
            case .partEnd:
                require(inPart, "partEnd outside a part")
                require(!contains(data, delimiter), "part data contains the delimiter")
                inPart = false
            }
        }
        require(parts <= limits.maxParts, "\(parts) parts, more than the limit")
        if complete { require(!inPart, "body parsed but a part is unfinished") }
    }

    static func checkFilename(_ headers: PartHeaders) {
        guard let base = headers.baseFilename else { return }
        require(!base.isEmpty && base != "." && base != "..", "unsafe base filename")
        require(!base.utf8.contains(UInt8(ascii: "/")) && !base.utf8.contains(UInt8(ascii: "\\")),
                "base filename has a separator")
    }

    static func merged(_ events: [MultipartEvent]) -> [MultipartEvent] {
        var out: [MultipartEvent] = []
        for event in events {
            if case .partData(let more) = event, case .partData(let bytes)? = out.last {
                out[out.count - 1] = .partData(bytes + more)
            } else {
                out.append(event)
            }
        }
        return out
    }

    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, haystack.count >= needle.count else { return false }
        return (0...(haystack.count - needle.count)).contains { start in
            haystack[start..<(start + needle.count)].elementsEqual(needle)
        }
    }
}
