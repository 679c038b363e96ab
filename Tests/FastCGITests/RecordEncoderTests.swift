import XCTest
@testable import FastCGI

final class RecordEncoderTests: XCTestCase {
    func testEveryRecordTypeEncodesToExactBytesAndDecodesBack() throws {
        let content: [UInt8] = [0x41, 0x42, 0x43]
        for type in 1...11 {
            let rawType = UInt8(type)
            XCTAssertNotNil(RecordType(rawValue: rawType))
            let record = Record(type: rawType, requestID: 0x0102, content: content)
            let bytes = TestBytes.encode(record)
            XCTAssertEqual(bytes, [1, rawType, 0x01, 0x02, 0x00, 0x03, 5, 0, 0x41, 0x42, 0x43, 0, 0, 0, 0, 0], "type \(type)")
            XCTAssertEqual(try TestBytes.decodeAll(bytes), [record], "type \(type)")
        }
    }

    func testUnknownTypeIsKeptRaw() throws {
        let record = Record(type: 200, requestID: 7, content: [9])
        let decoded = try TestBytes.decodeAll(TestBytes.encode(record))
        XCTAssertEqual(decoded, [record])
        XCTAssertNil(decoded.first?.kind)
    }

    func testPaddingMakesEveryRecordAMultipleOfEight() throws {
        for length in [0, 1, 7, 8, 9, 15, 16, 100, 65534, 65535] {
            let record = Record(.stdout, requestID: 1, content: [UInt8](repeating: 0x5A, count: length))
            let bytes = TestBytes.encode(record)
            XCTAssertEqual(bytes.count % 8, 0, "length \(length)")
            XCTAssertEqual(bytes.count, 8 + length + (8 - length % 8) % 8, "length \(length)")
            XCTAssertEqual(Int(bytes[6]), (8 - length % 8) % 8, "padding byte for length \(length)")
            XCTAssertEqual(Int(bytes[4]) << 8 | Int(bytes[5]), length)
            XCTAssertTrue(bytes[(8 + length)...].allSatisfy { $0 == 0 }, "padding is zeros")
            XCTAssertEqual(try TestBytes.decodeAll(bytes), [record], "length \(length)")
        }
    }

    func testEndRequestBytesAreExact() {
        var bytes: [UInt8] = [0xFF]
        RecordEncoder.appendEndRequest(requestID: 0x1234, appStatus: 0x0A0B0C0D, protocolStatus: .unknownRole, to: &bytes)
        XCTAssertEqual(bytes, [0xFF, 1, 3, 0x12, 0x34, 0, 8, 0, 0, 0x0A, 0x0B, 0x0C, 0x0D, 3, 0, 0, 0])
    }

    func testEndOfStreamIsAnEmptyRecord() {
        var bytes: [UInt8] = []
        RecordEncoder.appendEndOfStream(.stdout, requestID: 1, to: &bytes)
        RecordEncoder.appendEndOfStream(.stderr, requestID: 258, to: &bytes)
        XCTAssertEqual(bytes, [1, 6, 0, 1, 0, 0, 0, 0, 1, 7, 1, 2, 0, 0, 0, 0])
    }

    func testAppendKeepsWhatIsAlreadyInTheBuffer() {
        var bytes: [UInt8] = [9, 9, 9]
        RecordEncoder.append(Record(.stdout, requestID: 1, content: [1]), to: &bytes)
        XCTAssertEqual(bytes, [9, 9, 9, 1, 6, 0, 1, 0, 1, 7, 0, 1, 0, 0, 0, 0, 0, 0, 0])
    }

    func testStreamOfNothingWritesNothing() {
        var bytes: [UInt8] = [4]
        RecordEncoder.appendStream(.stdout, requestID: 1, bytes: [], to: &bytes)
        [UInt8]().withUnsafeBytes { RecordEncoder.appendStream(.stdout, requestID: 1, bytes: $0, to: &bytes) }
        XCTAssertEqual(bytes, [4])
    }

    func testSmallStreamIsOneRecord() {
        var bytes: [UInt8] = []
        RecordEncoder.appendStream(.stdout, requestID: 1, bytes: [0x68, 0x69], to: &bytes)
        XCTAssertEqual(bytes, [1, 6, 0, 1, 0, 2, 6, 0, 0x68, 0x69, 0, 0, 0, 0, 0, 0])
    }

    func testLargeStdoutIsSplitIntoFullRecordsThenTheRest() throws {
        let length = 65535 * 2 + 10
        let payload = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        var bytes: [UInt8] = []
        payload.withUnsafeBytes { RecordEncoder.appendStream(.stdout, requestID: 3, bytes: $0, to: &bytes) }

        // Two full records (65535 content + 1 padding) and one of 10 bytes (+ 6 padding).
        XCTAssertEqual(bytes.count, 2 * (8 + 65535 + 1) + (8 + 10 + 6))
        XCTAssertEqual(Array(bytes[0..<8]), [1, 6, 0, 3, 0xFF, 0xFF, 1, 0])
        XCTAssertEqual(Array(bytes[65544..<65552]), [1, 6, 0, 3, 0xFF, 0xFF, 1, 0])
        XCTAssertEqual(Array(bytes[131088..<131096]), [1, 6, 0, 3, 0, 10, 6, 0])

        let records = try TestBytes.decodeAll(bytes)
        XCTAssertEqual(records.map(\.content.count), [65535, 65535, 10])
        XCTAssertTrue(records.allSatisfy { $0.kind == .stdout && $0.requestID == 3 })
        XCTAssertEqual(records.flatMap(\.content), payload)
    }

    func testStreamOfExactlyOneFullRecord() throws {
        let payload = [UInt8](repeating: 1, count: 65535)
        var bytes: [UInt8] = []
        RecordEncoder.appendStream(.stderr, requestID: 1, bytes: payload, to: &bytes)
        XCTAssertEqual(bytes.count, 8 + 65535 + 1)
        XCTAssertEqual(try TestBytes.decodeAll(bytes), [Record(.stderr, requestID: 1, content: payload)])
    }

    func testOversizedRecordIsSplitInsteadOfTrapping() throws {
        let payload = [UInt8](repeating: 2, count: 65536)
        let bytes = TestBytes.encode(Record(.stdout, requestID: 1, content: payload))
        let records = try TestBytes.decodeAll(bytes)
        XCTAssertEqual(records.map(\.content.count), [65535, 1])
        XCTAssertEqual(records.flatMap(\.content), payload)
    }

    func testManySmallAppendsToOneBuffer() throws {
        var bytes: [UInt8] = []
        for index in 0..<10_000 {
            RecordEncoder.appendStream(.stdout, requestID: 1, bytes: [UInt8(truncatingIfNeeded: index)], to: &bytes)
        }
        XCTAssertEqual(bytes.count, 10_000 * 16)
        let records = try TestBytes.decodeAll(bytes)
        XCTAssertEqual(records.count, 10_000)
        XCTAssertEqual(records.last?.content, [UInt8(truncatingIfNeeded: 9999)])
    }
}
