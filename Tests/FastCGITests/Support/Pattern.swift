/// Deterministic test bytes that do not repeat with any short period, so a lost,
/// doubled or reordered chunk changes the checksum.
enum Pattern {
    static func bytes(_ count: Int, seed: Int = 0) -> [UInt8] {
        (0..<count).map { byte(at: $0 &+ seed) }
    }

    static func byte(at index: Int) -> UInt8 {
        UInt8(truncatingIfNeeded: index ^ (index >> 8) &* 7 ^ (index >> 16) &* 13)
    }
}
