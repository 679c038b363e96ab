import Psyx
import XCTest

/// Helpers shared by the multipart tests: body building, chunked feeding, a seeded RNG.
extension MultipartParserTests {
    /// SplitMix64: small, fast, and the same sequence on every platform.
    struct SeededGenerator: RandomNumberGenerator {
        var state: UInt64
        init(seed: UInt64) { state = seed }
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// One part of a body to build: its raw header lines and its content.
    struct TestPart {
        var headerLines: [String]
        var content: [UInt8]
        /// The headers the parser should report.
        var expected: PartHeaders
    }

    /// How a body is cut into feed() calls.
    enum Chunking {
        case whole
        case byteByByte
        case random(seed: UInt64, maxSize: Int)
        case sizes([Int])
    }

    /// What parsing a whole body gave: events with adjacent data merged, or an error.
    enum Outcome: Equatable {
        case events([MultipartEvent])
        case failure(MultipartError)
    }

    static func bytes(_ string: String) -> [UInt8] { Array(string.utf8) }

    static func body(
        boundary: String, parts: [TestPart], preamble: [UInt8] = [], epilogue: [UInt8] = []
    ) -> [UInt8] {
        var body = preamble
        for part in parts {
            body += bytes("--\(boundary)\r\n")
            for line in part.headerLines { body += bytes(line + "\r\n") }
            body += bytes("\r\n") + part.content + bytes("\r\n")
        }
        body += bytes("--\(boundary)--") + epilogue
        return body
    }

    static func expectedEvents(_ parts: [TestPart]) -> [MultipartEvent] {
        parts.flatMap { part -> [MultipartEvent] in
            part.content.isEmpty
                ? [.partBegin(part.expected), .partEnd]
                : [.partBegin(part.expected), .partData(part.content), .partEnd]
        }
    }

    /// Merges adjacent `.partData` so that differently chunked runs compare equal.
    static func coalesced(_ events: [MultipartEvent]) -> [MultipartEvent] {
        var result: [MultipartEvent] = []
        for event in events {
            if case .partData(let more) = event, case .partData(let earlier)? = result.last {
                result[result.count - 1] = .partData(earlier + more)
            } else {
                result.append(event)
            }
        }
        return result
    }

    static func chunks(of body: [UInt8], _ chunking: Chunking) -> [[UInt8]] {
        var sizes: [Int] = []
        switch chunking {
        case .whole:
            return [body]
        case .byteByByte:
            return body.map { [$0] }
        case .sizes(let given):
            sizes = given
        case .random(let seed, let maxSize):
            var generator = SeededGenerator(seed: seed)
            var total = 0
            while total < body.count {
                let size = Int.random(in: 0...maxSize, using: &generator)  // 0: empty feeds too
                sizes.append(size)
                total += size
            }
        }
        var result: [[UInt8]] = []
        var start = 0
        for size in sizes where start < body.count {
            let end = min(start + size, body.count)
            result.append(Array(body[start..<end]))
            start = end
        }
        if start < body.count { result.append(Array(body[start...])) }
        return result
    }

    /// Feeds `body` as `chunking` says, then finishes.
    static func parse(
        _ body: [UInt8], boundary: String, chunking: Chunking,
        limits: MultipartParser.Limits = MultipartParser.Limits()
    ) -> Outcome {
        var parser = MultipartParser(boundary: boundary, limits: limits)
        var events: [MultipartEvent] = []
        do {
            for chunk in chunks(of: body, chunking) { events += try parser.feed(chunk) }
            try parser.finish()
        } catch {
            return .failure(error)
        }
        return .events(coalesced(events))
    }

    /// Asserts `body` gives `expected` whole, byte by byte, and in many random chunkings.
    static func assertEveryChunking(
        _ body: [UInt8], boundary: String, gives expected: Outcome, seeds: Range<UInt64> = 0..<100,
        limits: MultipartParser.Limits = MultipartParser.Limits(),
        file: StaticString = #filePath, line: UInt = #line
    ) {
        var chunkings: [Chunking] = [.whole, .byteByByte]
        for seed in seeds {
            chunkings.append(.random(seed: seed, maxSize: seed % 2 == 0 ? 7 : 200))
        }
        for chunking in chunkings {
            let outcome = parse(body, boundary: boundary, chunking: chunking, limits: limits)
            XCTAssertEqual(outcome, expected, "chunking \(chunking)", file: file, line: line)
        }
    }
}
