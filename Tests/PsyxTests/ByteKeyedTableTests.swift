import XCTest
@testable import Psyx

/// `ByteKeyedTable` on raw bytes: every key is found by exactly its bytes (empty, short, word-sized,
/// long, zero bytes, bytes that are not UTF-8), keys sharing a slot are told apart, near misses
/// are absent, and a key inserted twice keeps its first value.
final class ByteKeyedTableTests: XCTestCase {
    private func index(_ table: ByteKeyedTable<Int>, _ key: [UInt8]) -> Int? {
        key.withUnsafeBufferPointer { table.index(of: $0) }
    }

    private func value(_ table: ByteKeyedTable<Int>, _ key: [UInt8]) -> Int? {
        key.withUnsafeBufferPointer { table[$0] }
    }

    @discardableResult
    private func insert(_ table: inout ByteKeyedTable<Int>, _ key: [UInt8], _ value: Int) -> Int {
        key.withUnsafeBufferPointer { table.insert($0, value) }
    }

    /// Keys of every length up to 40 bytes, each a few ways, non-ASCII and invalid UTF-8 included.
    static let keys: [[UInt8]] = {
        var keys: [[UInt8]] = [[], [0], [0, 0], [0x7F], [0xC3, 0xA9], [0xE1, 0x84, 0x87], [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80]]
        for length in 1...40 {
            keys.append((0..<length).map { UInt8(truncatingIfNeeded: 0x61 + $0 % 26) })
            keys.append((0..<length).map { UInt8(truncatingIfNeeded: 0xFF - $0) })
            keys.append([UInt8](repeating: 0x41, count: length - 1) + [0x42])
        }
        return keys
    }()

    func testEveryKeyIsFoundByItsBytesInInsertionOrder() {
        XCTAssertEqual(Set(Self.keys).count, Self.keys.count, "the test's keys differ")
        var table = ByteKeyedTable<Int>()
        for (number, key) in Self.keys.enumerated() {
            XCTAssertEqual(insert(&table, key, number * 10), number, "\(key)")
        }
        XCTAssertEqual(table.count, Self.keys.count)
        XCTAssertEqual(table.values, Self.keys.indices.map { $0 * 10 })
        for (number, key) in Self.keys.enumerated() {
            XCTAssertEqual(index(table, key), number, "\(key)")
            XCTAssertEqual(value(table, key), number * 10, "\(key)")
            XCTAssertTrue(key.withUnsafeBufferPointer { table.key(number, equals: $0) }, "\(key)")
            XCTAssertFalse(key.withUnsafeBufferPointer { table.key((number + 1) % Self.keys.count, equals: $0) }, "\(key)")
        }
    }

    /// Five thousand keys: the table grows many times (from 16 slots) and still finds them all.
    func testManyKeysSurviveGrowing() {
        var table = ByteKeyedTable<Int>()
        let keys = (0..<5000).map { Array("face_\($0)_ori.jpg".utf8) }
        for (number, key) in keys.enumerated() { insert(&table, key, number) }
        for (number, key) in keys.enumerated() { XCTAssertEqual(value(table, key), number) }
        XCTAssertNil(value(table, Array("face_5000_ori.jpg".utf8)))
        var sized = ByteKeyedTable<Int>(minimumCapacity: 5000)
        for (number, key) in keys.enumerated() { insert(&sized, key, number) }
        for (number, key) in keys.enumerated() { XCTAssertEqual(index(sized, key), number) }
    }

    func testAbsentKeysAreNil() {
        let empty = ByteKeyedTable<Int>()
        XCTAssertNil(value(empty, []))
        XCTAssertNil(empty.index(of: UnsafeBufferPointer(start: nil, count: 0)))
        XCTAssertNil(value(empty, Array("a".utf8)))

        var table = ByteKeyedTable<Int>()
        for key in ["a", "1234567", "12345678", "123456789", "x_00001_ori.jpg", "얼굴"] { insert(&table, Array(key.utf8), 1) }
        let misses: [[UInt8]] = [[], [0], Array("a\0".utf8), Array("b".utf8), Array("A".utf8), Array("1234567 ".utf8),
                                 Array("12345679".utf8), Array("02345678".utf8), Array("123456789\0".utf8),
                                 Array("x_00001_ori.jpG".utf8), Array("y_00001_ori.jpg".utf8), Array("얼".utf8),
                                 Array(Array("얼굴".utf8).dropLast()) + [0]]
        for miss in misses { XCTAssertNil(index(table, miss), "\(miss)") }
    }

    /// Keys found by brute force to start in the same slot of a 16-slot table: the probe steps
    /// past the ones that differ, and an absent key of that slot ends at the free slot after them.
    func testKeysSharingASlotAreToldApart() {
        var sharing: [[UInt8]] = []
        var candidate = 0
        while sharing.count < 7 {
            let key = Array("k\(candidate)".utf8)
            if key.withUnsafeBufferPointer({ ByteKeyedTable<Int>.hash($0) }) & 15 == 3 { sharing.append(key) }
            candidate += 1
        }
        var table = ByteKeyedTable<Int>()
        for (number, key) in sharing.dropLast().enumerated() { insert(&table, key, number) }
        for (number, key) in sharing.dropLast().enumerated() { XCTAssertEqual(value(table, key), number) }
        XCTAssertNil(value(table, sharing[6]))
        insert(&table, sharing[6], 6)
        XCTAssertEqual(value(table, sharing[6]), 6)
        XCTAssertEqual(value(table, sharing[0]), 0)
    }

    func testEmptyKeyAndDuplicates() {
        var table = ByteKeyedTable<Int>()
        XCTAssertEqual(insert(&table, Array("n".utf8), 7), 0)
        XCTAssertEqual(insert(&table, [], 8), 1)
        // The empty key is the same with or without a base address.
        XCTAssertEqual(table.index(of: UnsafeBufferPointer(start: nil, count: 0)), 1)
        XCTAssertTrue(table.key(1, equals: UnsafeBufferPointer(start: nil, count: 0)))
        // Inserting a key again changes nothing and answers its entry.
        XCTAssertEqual(insert(&table, Array("n".utf8), 9), 0)
        XCTAssertEqual(table.index(of: UnsafeBufferPointer(start: nil, count: 0)).map { table.values[$0] }, 8)
        XCTAssertEqual(table.insert(UnsafeBufferPointer(start: nil, count: 0), 10), 1)
        XCTAssertEqual(table.count, 2)
        XCTAssertEqual(table.values, [7, 8])
    }
}
