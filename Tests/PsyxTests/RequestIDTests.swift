import XCTest
@testable import Psyx

final class RequestIDTests: XCTestCase {
    func testIdsShareTheProcessPrefixAndCountUpInHex() {
        let ids = (0..<20).map { _ in RequestID.make() }
        for id in ids {
            XCTAssertEqual(id.utf8.count, 16, id)
            XCTAssertTrue(id.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }, id)
            XCTAssertEqual(id.prefix(8), ids[0].prefix(8))
        }
        XCTAssertEqual(Set(ids).count, ids.count)
        let counters = ids.compactMap { UInt64($0.suffix(8), radix: 16) }
        XCTAssertEqual(counters.count, ids.count)
        XCTAssertTrue(zip(counters, counters.dropFirst()).allSatisfy { $1 > $0 }, "\(counters)")
    }
}
