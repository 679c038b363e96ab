#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension MultipartParser {
    static let cr = UInt8(ascii: "\r")
    static let lf = UInt8(ascii: "\n")
    static let dash = UInt8(ascii: "-")

    /// Runs the state machine over `bytes`, appending the events it completes.
    /// Returns how many leading bytes were used; the rest must be offered again,
    /// followed by more input.
    mutating func process(
        _ bytes: UnsafeRawBufferPointer, into events: inout [MultipartEvent]
    ) throws(MultipartError) -> Int {
        var index = 0
        while true {
            switch state {
            case .preamble, .data:
                let inData: Bool
                if case .data = state { inData = true } else { inData = false }
                switch Self.search(delimiter, in: bytes, from: index) {
                case .found(let at):
                    if inData {
                        if at > index { events.append(.partData(Self.copy(bytes, index..<at))) }
                        events.append(.partEnd)
                    }
                    index = at + delimiter.count
                    state = .afterDelimiter
                case .notFound(let keepFrom):
                    if inData, keepFrom > index {
                        events.append(.partData(Self.copy(bytes, index..<keepFrom)))
                    }
                    return keepFrom
                }
            case .afterDelimiter:
                guard let next = try afterDelimiter(bytes, from: index) else { return index }
                index = next
            case .headers(let lineStart, let scanFrom):
                guard let next = try headers(bytes, blockStart: index, lineStart: lineStart, scanFrom: scanFrom, into: &events)
                else { return index }
                index = next
            case .epilogue:
                return bytes.count
            case .failed(let error):
                throw error
            }
        }
    }

    /// Reads what follows a delimiter. Returns where the next state starts, or
    /// nil when more bytes are needed to decide.
    private mutating func afterDelimiter(
        _ bytes: UnsafeRawBufferPointer, from start: Int
    ) throws(MultipartError) -> Int? {
        let count = bytes.count
        guard start < count else { return nil }
        if bytes[start] == Self.dash {
            guard start + 1 < count else { return nil }
            guard bytes[start + 1] == Self.dash else { throw .malformedBoundaryLine }
            state = .epilogue
            return start + 2
        }
        var index = start
        while index < count, HeaderValue.isWhitespace(bytes[index]) {
            index += 1
            if index - start > Self.maxTransportPadding { throw .malformedBoundaryLine }
        }
        guard index < count else { return nil }
        guard bytes[index] == Self.cr else { throw .malformedBoundaryLine }
        guard index + 1 < count else { return nil }
        guard bytes[index + 1] == Self.lf else { throw .malformedBoundaryLine }
        guard partCount < limits.maxParts else { throw .tooManyParts }
        partCount += 1
        state = .headers(lineStart: 0, scanFrom: 0)
        return index + 2
    }

    /// Reads header lines of the block starting at `blockStart`, validating each
    /// as it completes. Returns where the content starts once the blank line is
    /// read, or nil (having saved its place) when more bytes are needed.
    ///
    /// Size is checked before syntax at every line end, so the error a body gets
    /// does not depend on how it was chunked.
    private mutating func headers(
        _ bytes: UnsafeRawBufferPointer, blockStart: Int, lineStart: Int, scanFrom: Int,
        into events: inout [MultipartEvent]
    ) throws(MultipartError) -> Int? {
        let count = bytes.count
        var lineStart = lineStart
        var scanFrom = scanFrom
        while true {
            let found = Self.firstIndex(of: Self.cr, in: bytes, from: blockStart + scanFrom)
            guard let cr = found, cr + 1 < count else {
                // The current line ends at count + 1 at the earliest.
                if count + 1 - blockStart > limits.maxPartHeaderBytes { throw .headerTooLarge }
                state = .headers(lineStart: lineStart, scanFrom: (found ?? count) - blockStart)
                return nil
            }
            if cr + 2 - blockStart > limits.maxPartHeaderBytes { throw .headerTooLarge }
            guard bytes[cr + 1] == Self.lf else { throw .malformedHeaders }
            let line = UnsafeRawBufferPointer(rebasing: bytes[(blockStart + lineStart)..<cr])
            if line.isEmpty {
                let block = UnsafeRawBufferPointer(rebasing: bytes[blockStart..<cr])
                events.append(.partBegin(try Self.partHeaders(fromBlock: block)))
                state = .data
                return cr + 2
            }
            try Self.validateHeaderLine(line, isFirst: lineStart == 0)
            lineStart = cr + 2 - blockStart
            scanFrom = lineStart
        }
    }

    enum SearchResult: Equatable {
        case found(Int)
        /// No whole delimiter; bytes from `keepFrom` on may begin one.
        case notFound(keepFrom: Int)
    }

    /// Finds `delimiter` in `bytes` from `start`: memchr to each CR, then memcmp.
    static func search(
        _ delimiter: [UInt8], in bytes: UnsafeRawBufferPointer, from start: Int
    ) -> SearchResult {
        let count = bytes.count
        guard let base = bytes.baseAddress, start < count else { return .notFound(keepFrom: count) }
        return delimiter.withUnsafeBytes { needle -> SearchResult in
            guard let needleBase = needle.baseAddress else { return .found(start) }
            var from = start
            while let at = firstIndex(of: cr, in: bytes, from: from) {
                let available = Swift.min(needle.count, count - at)
                if memcmp(base + at, needleBase, available) == 0 {
                    return available == needle.count ? .found(at) : .notFound(keepFrom: at)
                }
                from = at + 1
            }
            return .notFound(keepFrom: count)
        }
    }

    static func firstIndex(of byte: UInt8, in bytes: UnsafeRawBufferPointer, from start: Int) -> Int? {
        guard let base = bytes.baseAddress, start >= 0, start < bytes.count,
              let hit = memchr(base + start, Int32(byte), bytes.count - start)
        else { return nil }
        return base.distance(to: UnsafeRawPointer(hit))
    }

    static func copy(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) -> [UInt8] {
        [UInt8](UnsafeRawBufferPointer(rebasing: bytes[range]))
    }
}
