import XCTest
@testable import FastCGI

/// Random input must never trap: every outcome is a record, nil, an error or an action.
final class RandomInputTests: XCTestCase {
    /// A small deterministic generator, so a failure can be replayed from its seed.
    private struct SplitMix64: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// Feeds `bytes` in random chunks through a decoder into an assembler; returns how many records were decoded.
    @discardableResult
    private func run(_ bytes: [UInt8], using rng: inout SplitMix64) -> Int {
        var decoder = RecordDecoder()
        var assembler = RequestAssembler(serverValues: ["FCGI_MAX_CONNS": "1"], limits: .init(maxParamsBytes: 4096, maxParamCount: 50))
        var start = 0
        var records = 0
        while start < bytes.count {
            let end = min(bytes.count, start + Int.random(in: 1...300, using: &rng))
            decoder.append(Array(bytes[start..<end]))
            start = end
            do {
                while let record = try decoder.next() {
                    records += 1
                    for action in assembler.receive(record) {
                        if case .end = action { assembler.finishRequest() }
                        if case .close = action { return records }
                    }
                }
            } catch {
                XCTAssertTrue(error is FastCGIError)
                return records
            }
            XCTAssertGreaterThanOrEqual(decoder.bufferedByteCount, 0)
        }
        return records
    }

    func testRandomBytesNeverTrap() {
        var rng = SplitMix64(state: 0x5EED_0001)
        for _ in 0..<300 {
            var bytes = (0..<Int.random(in: 0...2000, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            if !bytes.isEmpty, Bool.random(using: &rng) { bytes[0] = 1 }
            run(bytes, using: &rng)
        }
    }

    func testRandomWellFramedRecordsNeverTrap() {
        var rng = SplitMix64(state: 0x5EED_0002)
        var decodedTotal = 0
        for _ in 0..<300 {
            var bytes: [UInt8] = []
            for _ in 0..<Int.random(in: 1...40, using: &rng) {
                let type = UInt8.random(in: 0...13, using: &rng)
                let id = UInt16.random(in: 0...2, using: &rng)
                let length = [0, 0, 1, 7, 8, 9, 30, 200].randomElement(using: &rng) ?? 0
                var content = (0..<length).map { _ in UInt8.random(in: 0...255, using: &rng) }
                if type == RecordType.beginRequest.rawValue, content.count >= 2, Bool.random(using: &rng) {
                    content[0] = 0
                    content[1] = 1
                }
                if type == RecordType.params.rawValue || type == RecordType.getValues.rawValue, Bool.random(using: &rng) {
                    content = NameValuePairs.encode([(name: "N\(length)", value: String(repeating: "v", count: length))])
                }
                bytes += TestBytes.record(type: type, id: id, content: content, padding: Int.random(in: 0...9, using: &rng))
            }
            decodedTotal += run(bytes, using: &rng)
        }
        XCTAssertGreaterThan(decodedTotal, 300, "well-framed input must mostly decode")
    }

    func testRandomNameValueBytesNeverTrap() {
        var rng = SplitMix64(state: 0x5EED_0003)
        for _ in 0..<2000 {
            let bytes = (0..<Int.random(in: 0...40, using: &rng)).map { _ in
                Bool.random(using: &rng) ? UInt8.random(in: 0...8, using: &rng) : UInt8.random(in: 0...255, using: &rng)
            }
            do {
                let pairs = try NameValuePairs.decode(bytes)
                XCTAssertLessThanOrEqual(pairs.count, bytes.count / 2)
            } catch {
                XCTAssertEqual(error as? FastCGIError, .malformedNameValuePairs)
            }
        }
    }
}
