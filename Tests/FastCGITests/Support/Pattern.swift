/// Deterministic test bytes that do not repeat with any short period, so a lost,
/// doubled or reordered chunk changes the checksum.
enum Pattern {
    static func bytes(_ count: Int, seed: Int = 0) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            for index in 0..<count { buffer[index] = byte(at: index &+ seed) }
            initialized = count
        }
    }

    static func byte(at index: Int) -> UInt8 {
        UInt8(truncatingIfNeeded: index ^ (index >> 8) &* 7 ^ (index >> 16) &* 13)
    }
}
