import Psyx
import XCTest

/// Malformed bodies: the right error, the same however the body is chunked, never a trap.
final class MalformedMultipartParserTests: XCTestCase {
    typealias Support = MultipartParserTests

    func bytes(_ string: String) -> [UInt8] { Array(string.utf8) }

    func assertFails(
        _ body: String, with error: MultipartError, limits: MultipartParser.Limits = MultipartParser.Limits(),
        file: StaticString = #filePath, line: UInt = #line
    ) {
        Support.assertEveryChunking(
            bytes(body), boundary: "b", gives: .failure(error), seeds: 0..<30, limits: limits, file: file, line: line)
    }

    func testEveryTruncationOfAValidBodyIsMissingFinalBoundary() {
        let body = Support.sampleBody
        let closing = bytes("--\(Support.boundary)--")
        guard let closeAt = (0...(body.count - closing.count)).first(where: {
            body[$0..<($0 + closing.count)].elementsEqual(closing)
        }) else { return XCTFail("no closing boundary in the sample") }
        for length in 0..<body.count {
            let outcome = Support.parse(Array(body.prefix(length)), boundary: Support.boundary, chunking: .whole)
            if length < closeAt + closing.count {
                XCTAssertEqual(outcome, .failure(.missingFinalBoundary), "prefix \(length)")
            } else {
                XCTAssertEqual(outcome, .events(Support.expectedEvents(Support.sampleParts)), "prefix \(length)")
            }
        }
    }

    func testBodiesWithoutAnyBoundary() {
        assertFails("", with: .missingFinalBoundary)
        assertFails("a=1&b=2", with: .missingFinalBoundary)
        assertFails("--c\r\nContent-Disposition: form-data; name=a\r\n\r\nx\r\n--c--", with: .missingFinalBoundary)
    }

    func testHeadersWithoutBlankLine() {
        assertFails("--b\r\nContent-Disposition: form-data; name=\"a\"\r\nhello\r\n--b--\r\n", with: .malformedHeaders)
        assertFails("--b\r\n: no name\r\n\r\nx\r\n--b--", with: .malformedHeaders)
        assertFails("--b\r\n folded first\r\n\r\nx\r\n--b--", with: .malformedHeaders)
        assertFails("--b\r\nBad Name: x\r\n\r\nx\r\n--b--", with: .malformedHeaders)
        assertFails("--b\r\nContent-Disposition: form-data; name=a\rX: y\r\n\r\nx\r\n--b--", with: .malformedHeaders)
        assertFails("--b\r\nContent-Disposition: form-data; name=\"a\r\n\r\nx\r\n--b--", with: .malformedHeaders)
    }

    func testLFOnlyLineEndingsAreRefused() {
        assertFails("--b\nContent-Disposition: form-data; name=a\n\nx\n--b--\n", with: .malformedBoundaryLine)
        assertFails("--b\n\nContent-Disposition: form-data; name=a\r\n\r\nx\r\n--b--", with: .malformedBoundaryLine)
        assertFails("--b\r\nContent-Disposition: form-data; name=a\nX: y\r\n\r\nx\r\n--b--", with: .malformedHeaders)
    }

    func testHeaderSizeLimitIsExact() {
        let block = "Content-Disposition: form-data; name=a\r\nX-Pad: ppppp\r\n\r\n"
        let body = "--b\r\n" + block + "x\r\n--b--"
        let size = block.utf8.count
        Support.assertEveryChunking(
            bytes(body), boundary: "b",
            gives: .events([.partBegin(PartHeaders(name: "a")), .partData(bytes("x")), .partEnd]),
            seeds: 0..<30, limits: .init(maxPartHeaderBytes: size))
        assertFails(body, with: .headerTooLarge, limits: .init(maxPartHeaderBytes: size - 1))
        assertFails(body, with: .headerTooLarge, limits: .init(maxPartHeaderBytes: -5))
        let huge = "--b\r\nContent-Disposition: form-data; name=a\r\nX: " + String(repeating: "y", count: 20_000)
        assertFails(huge + "\r\n\r\nx\r\n--b--", with: .headerTooLarge)
        assertFails(huge, with: .headerTooLarge)  // refused before the body even ends
    }

    func testPartCountLimit() {
        let part = "--b\r\nContent-Disposition: form-data; name=a\r\n\r\nx\r\n"
        let body = String(repeating: part, count: 4) + "--b--"
        let events = Array(repeating: [MultipartEvent.partBegin(PartHeaders(name: "a")), .partData(bytes("x")), .partEnd],
                           count: 4).flatMap { $0 }
        Support.assertEveryChunking(
            bytes(body), boundary: "b", gives: .events(events), seeds: 0..<10, limits: .init(maxParts: 4))
        assertFails(body, with: .tooManyParts, limits: .init(maxParts: 3))
        assertFails(body, with: .tooManyParts, limits: .init(maxParts: 0))
    }

    func testMissingContentDisposition() {
        assertFails("--b\r\nContent-Type: text/plain\r\n\r\nx\r\n--b--", with: .missingContentDisposition)
        assertFails("--b\r\n\r\nx\r\n--b--", with: .missingContentDisposition)
        assertFails("--b\r\nContent-Disposition: form-data; filename=a.jpg\r\n\r\nx\r\n--b--", with: .missingContentDisposition)
        assertFails("--b\r\nContent-Disposition: attachment; name=a\r\n\r\nx\r\n--b--", with: .missingContentDisposition)
    }

    func testMalformedBoundaryLines() {
        assertFails("--bX\r\n\r\n--b--", with: .malformedBoundaryLine)
        assertFails("--b-\r\n", with: .malformedBoundaryLine)
        assertFails("preamble\r\n--bb--", with: .malformedBoundaryLine)
        assertFails("--b" + String(repeating: " ", count: 300) + "\r\n", with: .malformedBoundaryLine)
        assertFails("--b\r\nContent-Disposition: form-data; name=a\r\n\r\nx\r\n--b\r", with: .missingFinalBoundary)
        assertFails("--b\r\nContent-Disposition: form-data; name=a\r\n\r\nx\r\n--b\rx", with: .malformedBoundaryLine)
    }

    func testAFailedParserStaysFailed() {
        var parser = MultipartParser(boundary: "b")
        XCTAssertThrowsError(try parser.feed(bytes("--bX"))) { XCTAssertEqual($0 as? MultipartError, .malformedBoundaryLine) }
        XCTAssertThrowsError(try parser.feed(bytes("--b--"))) { XCTAssertEqual($0 as? MultipartError, .malformedBoundaryLine) }
        XCTAssertThrowsError(try parser.finish()) { XCTAssertEqual($0 as? MultipartError, .malformedBoundaryLine) }

        var unfinished = MultipartParser(boundary: "b")
        XCTAssertThrowsError(try unfinished.finish()) { XCTAssertEqual($0 as? MultipartError, .missingFinalBoundary) }
        XCTAssertThrowsError(try unfinished.feed(bytes("--b--"))) { XCTAssertEqual($0 as? MultipartError, .missingFinalBoundary) }
    }

    /// Random garbage and randomly damaged valid bodies: never a trap, and the
    /// outcome (events or error) does not depend on the chunking.
    func testGarbageAndDamagedBodiesNeverTrapAndDoNotDependOnChunking() {
        let valid = Support.sampleBody
        let limits = MultipartParser.Limits(maxPartHeaderBytes: 200, maxParts: 8)
        for seed in UInt64(0)..<300 {
            var generator = Support.SeededGenerator(seed: seed)
            var body: [UInt8]
            if seed % 3 == 0 {
                body = (0..<Int.random(in: 0...2000, using: &generator)).map { _ in
                    [0x0D, 0x0A, 0x2D, 0x62, 0x3A, 0x20, 0x22, 0x5C, UInt8.random(in: 0...255, using: &generator)]
                        .randomElement(using: &generator) ?? 0
                }
            } else {
                body = valid
                for _ in 0..<Int.random(in: 1...4, using: &generator) {
                    let at = Int.random(in: 0..<body.count, using: &generator)
                    switch Int.random(in: 0..<3, using: &generator) {
                    case 0: body[at] = UInt8.random(in: 0...255, using: &generator)
                    case 1: body.remove(at: at)
                    default: body.insert(contentsOf: bytes("\r\n--"), at: at)
                    }
                }
            }
            let boundary = seed % 3 == 0 ? "b" : Support.boundary
            let whole = Support.parse(body, boundary: boundary, chunking: .whole, limits: limits)
            for chunking in [Support.Chunking.byteByByte, .random(seed: seed, maxSize: 50)] {
                XCTAssertEqual(Support.parse(body, boundary: boundary, chunking: chunking, limits: limits), whole,
                               "seed \(seed)")
            }
        }
    }
}
