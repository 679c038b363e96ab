/// 64-bit FNV-1a: enough to tell two bodies apart in a test.
struct Checksum {
    private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    mutating func add(_ bytes: ArraySlice<UInt8>) {
        bytes.withUnsafeBufferPointer { add($0) }
    }

    mutating func add(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { add($0) }
    }

    mutating func add(_ bytes: UnsafeBufferPointer<UInt8>) {
        var hash = value
        for byte in bytes {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        value = hash
    }

    static func of(_ bytes: [UInt8]) -> String {
        var checksum = Checksum()
        checksum.add(bytes)
        return checksum.hex
    }

    var hex: String { String(value, radix: 16) }
}
