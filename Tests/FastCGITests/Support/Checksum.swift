/// 64-bit FNV-1a: enough to tell two bodies apart in a test.
struct Checksum {
    private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    mutating func add(_ bytes: some Sequence<UInt8>) {
        for byte in bytes {
            value ^= UInt64(byte)
            value = value &* 0x0000_0100_0000_01b3
        }
    }

    static func of(_ bytes: some Sequence<UInt8>) -> String {
        var checksum = Checksum()
        checksum.add(bytes)
        return checksum.hex
    }

    var hex: String { String(value, radix: 16) }
}
