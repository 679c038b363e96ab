import XCTest
@testable import FastCGI

final class RecordDecoderTests: XCTestCase {
    /// A stream as a web server sends it: begin, params over two records, an empty
    /// params, stdin with padding, an empty stdin, plus a management record.
    private let stream: [UInt8] =
        TestBytes.record(.getValues, id: 0, content: [14, 0] + Array("FCGI_MAX_CONNS".utf8))
        + TestBytes.record(.beginRequest, id: 1, content: [0, 1, 1, 0, 0, 0, 0, 0])
        + TestBytes.record(.params, id: 1, content: [1, 1, 0x41, 0x42], padding: 4)
        + TestBytes.record(.params, id: 1, content: [1, 0, 0x43], padding: 255)
        + TestBytes.record(.params, id: 1)
        + TestBytes.record(.stdin, id: 1, content: [0x78, 0x79, 0x7A], padding: 5)
        + TestBytes.record(.stdin, id: 1)

    private let expected: [Record] = [
        Record(.getValues, requestID: 0, content: [14, 0] + Array("FCGI_MAX_CONNS".utf8)),
        Record(.beginRequest, requestID: 1, content: [0, 1, 1, 0, 0, 0, 0, 0]),
        Record(.params, requestID: 1, content: [1, 1, 0x41, 0x42]),
        Record(.params, requestID: 1, content: [1, 0, 0x43]),
        Record(.params, requestID: 1),
        Record(.stdin, requestID: 1, content: [0x78, 0x79, 0x7A]),
        Record(.stdin, requestID: 1),
    ]

    func testWholeStreamDecodes() throws {
        XCTAssertEqual(try TestBytes.decodeAll(stream), expected)
    }

    func testStreamSplitAtEveryByteBoundaryYieldsTheSameRecords() throws {
        for cut in 0...stream.count {
            var decoder = RecordDecoder()
            var records: [Record] = []
            decoder.append(Array(stream[..<cut]))
            while let record = try decoder.next() { records.append(record) }
            decoder.append(Array(stream[cut...]))
            while let record = try decoder.next() { records.append(record) }
            XCTAssertEqual(records, expected, "cut at \(cut)")
            XCTAssertEqual(decoder.bufferedByteCount, 0)
        }
    }

    func testStreamFedOneByteAtATime() throws {
        var decoder = RecordDecoder()
        var records: [Record] = []
        for byte in stream {
            decoder.append([byte])
            while let record = try decoder.next() { records.append(record) }
        }
        XCTAssertEqual(records, expected)
    }

    func testStreamFedThroughRawBuffersInUnevenChunks() throws {
        var decoder = RecordDecoder()
        var records: [Record] = []
        var start = 0
        var size = 1
        while start < stream.count {
            let end = min(stream.count, start + size)
            stream[start..<end].withUnsafeBytes { decoder.append($0) }
            while let record = try decoder.next() { records.append(record) }
            start = end
            size = size % 13 + 2
        }
        XCTAssertEqual(records, expected)
    }

    func testTruncatedInputYieldsNilAndKeepsTheBytes() throws {
        for length in 0..<stream.count {
            var decoder = RecordDecoder()
            decoder.append(Array(stream[..<length]))
            var count = 0
            while try decoder.next() != nil { count += 1 }
            XCTAssertLessThan(count, expected.count, "prefix \(length)")
            XCTAssertNil(try decoder.next(), "asking again stays nil")
        }
        var decoder = RecordDecoder()
        decoder.append([1, 6, 0, 1, 0, 10, 0, 0, 1, 2, 3])
        XCTAssertNil(try decoder.next())
        XCTAssertEqual(decoder.bufferedByteCount, 11)
    }

    func testMissingPaddingWaitsForIt() throws {
        var decoder = RecordDecoder()
        decoder.append([1, 6, 0, 1, 0, 1, 7, 0, 0x61, 0, 0, 0])
        XCTAssertNil(try decoder.next(), "content is there but 4 padding bytes are missing")
        decoder.append([0, 0, 0, 0])
        XCTAssertEqual(try decoder.next(), Record(.stdout, requestID: 1, content: [0x61]))
        XCTAssertEqual(decoder.bufferedByteCount, 0)
    }

    func testEmptyDecoderYieldsNil() throws {
        var decoder = RecordDecoder()
        decoder.append([])
        XCTAssertNil(try decoder.next())
        XCTAssertEqual(decoder.bufferedByteCount, 0)
    }

    func testWrongVersionThrows() {
        var decoder = RecordDecoder()
        decoder.append([2, 1, 0, 1, 0, 8, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0])
        XCTAssertThrowsError(try decoder.next()) { XCTAssertEqual($0 as? FastCGIError, .unsupportedVersion(2)) }
        XCTAssertThrowsError(try decoder.next(), "the error is sticky")
    }

    func testGarbageThrowsAsSoonAsTheFirstByteIsSeen() {
        var decoder = RecordDecoder()
        decoder.append(Array("GET / HTTP/1.1\r\n".utf8))
        XCTAssertThrowsError(try decoder.next()) { XCTAssertEqual($0 as? FastCGIError, .unsupportedVersion(0x47)) }

        var single = RecordDecoder()
        single.append([0])
        XCTAssertThrowsError(try single.next()) { XCTAssertEqual($0 as? FastCGIError, .unsupportedVersion(0)) }
    }

    func testWrongVersionAfterGoodRecordsThrowsOnlyWhenReached() throws {
        var decoder = RecordDecoder()
        decoder.append(TestBytes.record(.stdin, id: 1, content: [1]) + [9, 9, 9, 9, 9, 9, 9, 9])
        XCTAssertEqual(try decoder.next(), Record(.stdin, requestID: 1, content: [1]))
        XCTAssertThrowsError(try decoder.next()) { XCTAssertEqual($0 as? FastCGIError, .unsupportedVersion(9)) }
    }

    func testReservedByteIsIgnored() throws {
        var bytes = TestBytes.record(.stdin, id: 5, content: [7])
        bytes[7] = 0xAB
        XCTAssertEqual(try TestBytes.decodeAll(bytes), [Record(.stdin, requestID: 5, content: [7])])
    }

    func testLargestRecordDecodes() throws {
        let content = (0..<65535).map { UInt8(truncatingIfNeeded: $0) }
        let bytes = TestBytes.record(.stdin, id: 0xFFFF, content: content, padding: 255)
        XCTAssertEqual(try TestBytes.decodeAll(bytes), [Record(.stdin, requestID: 0xFFFF, content: content)])
    }

    func testManyRecordsThroughOneDecoderKeepTheBufferSmall() throws {
        let pair = TestBytes.record(.stdin, id: 1, content: [UInt8](repeating: 3, count: 1000))
            + TestBytes.record(.stdin, id: 1, content: [4, 4])
        let stream = [[UInt8]](repeating: pair, count: 400).flatMap { $0 }
        var decoder = RecordDecoder()
        var decoded = 0
        var start = 0
        while start < stream.count {
            // 777-byte slices rarely end on a record boundary, so the buffer seldom drains.
            let end = min(stream.count, start + 777)
            decoder.append(Array(stream[start..<end]))
            start = end
            while try decoder.next() != nil { decoded += 1 }
            XCTAssertLessThan(decoder.bufferedByteCount, pair.count)
            XCTAssertLessThan(decoder.storedByteCount, 2 * (777 + pair.count), "consumed bytes are compacted away")
        }
        XCTAssertEqual(decoded, 800)
        XCTAssertEqual(decoder.bufferedByteCount, 0)
    }

    func testEncoderOutputDecodesForAllContentLengthsNearBoundaries() throws {
        var bytes: [UInt8] = []
        var records: [Record] = []
        for length in [0, 1, 2, 6, 7, 8, 9, 255, 256, 257, 65534, 65535] {
            let record = Record(.stdout, requestID: UInt16(length % 65536), content: [UInt8](repeating: 0x33, count: length))
            records.append(record)
            RecordEncoder.append(record, to: &bytes)
        }
        XCTAssertEqual(try TestBytes.decodeAll(bytes), records)
    }
}
