import Foundation

/// A pack's Gram matrix G = NᵀN (pairs × pairs, symmetric), kept in a file under the data
/// directory's cache so it is computed once per pack, not once per process.
///
/// File: "PSYXGRAM", version, pairs, width, height (UInt32 each, little-endian), the pairs² values
/// as little-endian Doubles, then an FNV-1a hash of everything before it. Anything that does not
/// match (another size, a torn write, a foreign file) reads as absent and is recomputed.
public struct GramMatrix: Equatable, Sendable {
    public let pairs: Int
    public let width: Int
    public let height: Int
    /// Row-major, `pairs * pairs`.
    public let values: [Double]

    static let magic = Array("PSYXGRAM".utf8)
    static let version: UInt32 = 1

    public init(_ noise: NoiseMatrix) {
        self.init(pairs: noise.pairs, width: noise.width, height: noise.height, values: noise.gram())
    }

    init(pairs: Int, width: Int, height: Int, values: [Double]) {
        self.pairs = pairs
        self.width = width
        self.height = height
        self.values = values
    }

    public func encoded() -> [UInt8] {
        var out = Self.magic
        out.reserveCapacity(64 + values.count * 8)
        for field in [Self.version, UInt32(pairs), UInt32(width), UInt32(height)] { Self.append(UInt64(field), bytes: 4, to: &out) }
        for value in values { Self.append(value.bitPattern, bytes: 8, to: &out) }
        Self.append(Self.hash(out), bytes: 8, to: &out)
        return out
    }

    /// Nil unless `bytes` is a whole, intact file for a pack of `pairs` pairs.
    public static func decode(_ bytes: [UInt8], pairs: Int) -> GramMatrix? {
        let headerCount = magic.count + 16
        let (cells, overflow) = pairs.multipliedReportingOverflow(by: pairs)
        guard !overflow, pairs > 0, bytes.count == headerCount + cells * 8 + 8, bytes.starts(with: magic) else { return nil }
        guard read(bytes, at: bytes.count - 8, bytes: 8) == hash(bytes[..<(bytes.count - 8)]) else { return nil }
        let fields = (0..<4).map { Int(read(bytes, at: magic.count + $0 * 4, bytes: 4)) }
        guard fields[0] == Int(version), fields[1] == pairs, fields[2] > 0, fields[3] > 0 else { return nil }
        let values = (0..<cells).map { Double(bitPattern: read(bytes, at: headerCount + $0 * 8, bytes: 8)) }
        return GramMatrix(pairs: pairs, width: fields[2], height: fields[3], values: values)
    }

    private static func append(_ value: UInt64, bytes: Int, to out: inout [UInt8]) {
        for index in 0..<bytes { out.append(UInt8(truncatingIfNeeded: value >> (8 * index))) }
    }

    private static func read(_ bytes: [UInt8], at offset: Int, bytes count: Int) -> UInt64 {
        (0..<count).reduce(UInt64(0)) { $0 | UInt64(bytes[offset + $1]) << (8 * $1) }
    }

    static func hash(_ bytes: some Collection<UInt8>) -> UInt64 {
        bytes.reduce(0xCBF2_9CE4_8422_2325) { ($0 ^ UInt64($1)) &* 0x100_0000_01B3 }
    }
}
