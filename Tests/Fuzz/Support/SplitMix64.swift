/// A small deterministic generator seeded from the input itself, so the way a
/// harness cuts an input into chunks is fixed by the input: a saved crash
/// replays exactly, and no input byte is spent on choosing the cuts.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    /// Seeded with the FNV-1a hash of `bytes`.
    init(hashing bytes: [UInt8]) {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in bytes {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3
        }
        state = hash
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE5_E9B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// `0..<length` cut at `cuts` random points (sorted, possibly empty pieces).
    mutating func pieces(of length: Int, cuts: Int) -> [Range<Int>] {
        guard length > 0 else { return [0..<0] }
        let points = (0..<cuts).map { _ in Int.random(in: 0...length, using: &self) }.sorted()
        var ranges: [Range<Int>] = []
        var start = 0
        for point in points {
            ranges.append(start..<point)
            start = point
        }
        ranges.append(start..<length)
        return ranges
    }
}
