/// A pack's `start` answer, encoded once: per participant only the order of the
/// pairs and their sides change, so a start is a shuffle of indices and copies.
final class StartAnswer: Sendable {
    private let head: [UInt8]
    private let tail: [UInt8]
    /// Every pair's JSON in both side orders, back to back: `["ori","inv"]["inv","ori"]…`,
    /// then `chunk` zero bytes (so a fixed-size copy of the last pair stays inside).
    private let pairs: [UInt8]
    /// Where pair i's `["ori","inv"]` starts in `pairs`; its `["inv","ori"]` follows it
    /// (same length: the same two names swapped), and pair i + 1 starts after both.
    private let starts: [Int]
    /// The exact length of every answer: the order changes, the bytes it copies do not.
    private let size: Int
    /// The settings it was rendered with: a cached answer is made again once they change.
    let settings: PackSettings

    /// `timeLimit`: the pack's effective one (`PackSettings.effectiveTimeLimit`).
    init(pack: Pack, timeLimit: Double) {
        settings = pack.settings
        var head = Array(#"{"p_id":"#.utf8)
        JSONText.appendInteger(pack.id, to: &head)
        head.append(contentsOf: #","pack_path":"#.utf8)
        JSONText.appendString("/packs/" + pack.name, to: &head)
        head.append(contentsOf: #","pic_pairs":["#.utf8)
        self.head = head
        var tail = Array(#"],"time_limit":\#(timeLimit),"question":"#.utf8)
        pack.settings.appendQuestion(to: &tail)
        tail.append(contentsOf: (pack.settings.touch ? #","touch":true"# : #","touch":false"#).utf8)
        tail.append(contentsOf: #","consent_version":"#.utf8)
        JSONText.appendString(pack.settings.consentVersion, to: &tail)
        tail.append(0x7D)
        self.tail = tail
        var pairs: [UInt8] = []
        var starts: [Int] = []
        for pair in pack.pairs {
            starts.append(pairs.count)
            Self.appendPair(pair.ori, pair.inv, to: &pairs)
            Self.appendPair(pair.inv, pair.ori, to: &pairs)
        }
        starts.append(pairs.count)
        size = head.count + tail.count + pairs.count / 2 + max(0, pack.pairs.count - 1)
        pairs.append(contentsOf: repeatElement(0, count: Self.chunk))
        self.pairs = pairs
        self.starts = starts
    }

    /// Every pair once, in a fresh random order, each with a random side for its ori image.
    func render() -> [UInt8] {
        // One draw from the system's generator per participant seeds the order and the sides
        // (the system generator costs a getrandom call per use: hundreds per start).
        var random = SeededGenerator(seed: UInt64.random(in: .min ... .max))
        let count = starts.count - 1
        // Room for a whole chunk past the answer's end (see `copyPair`); the count stays `size`.
        return [UInt8](unsafeUninitializedCapacity: size + Self.chunk) { out, written in
            guard let out = UnsafeMutableRawPointer(out.baseAddress) else { return }
            var position = copy(head, to: out, at: 0)
            withUnsafeTemporaryAllocation(of: Int32.self, capacity: count) { order in
                // Fisher–Yates over the pair indices, each pick from the generator directly.
                for index in 0..<count { order[index] = Int32(index) }
                for last in stride(from: count - 1, to: 0, by: -1) {
                    order.swapAt(last, random.below(last + 1))
                }
                pairs.withUnsafeBytes { all in
                    starts.withUnsafeBufferPointer { starts in
                        guard let all = all.baseAddress else { return }
                        var sides: UInt64 = 0
                        for rank in 0..<count {
                            if rank > 0 {
                                out.storeBytes(of: 0x2C, toByteOffset: position, as: UInt8.self)
                                position += 1
                            }
                            // One draw gives the sides of 64 pairs.
                            if rank & 63 == 0 { sides = random.next() }
                            let index = Int(order[rank])
                            let half = (starts[index + 1] - starts[index]) / 2
                            let start = starts[index] + (sides & 1 == 0 ? 0 : half)
                            sides >>= 1
                            Self.copyPair(from: all + start, to: out + position, count: half)
                            position += half
                        }
                    }
                }
            }
            written = copy(tail, to: out, at: position)
        }
    }

    /// Pairs are short (two file names, ~45 bytes): one fixed 64-byte copy beats a `memmove`
    /// call each. The bytes past `count` it writes are overwritten by what follows (a comma,
    /// the next pair, the tail, or left beyond the answer's count); `pairs` has `chunk` bytes
    /// of padding so the read never leaves it.
    @inline(__always)
    private static func copyPair(from source: UnsafeRawPointer, to target: UnsafeMutableRawPointer, count: Int) {
        if count <= chunk {
            target.storeBytes(of: source.loadUnaligned(as: SIMD32<UInt8>.self), as: SIMD32<UInt8>.self)
            (target + 32).storeBytes(of: (source + 32).loadUnaligned(as: SIMD32<UInt8>.self), as: SIMD32<UInt8>.self)
        } else {
            target.copyMemory(from: source, byteCount: count)
        }
    }

    private static let chunk = 64

    /// Copies `bytes` into `out` at `position`; the position after them.
    private func copy(_ bytes: [UInt8], to out: UnsafeMutableRawPointer, at position: Int) -> Int {
        bytes.withUnsafeBytes { bytes in
            if let base = bytes.baseAddress { (out + position).copyMemory(from: base, byteCount: bytes.count) }
        }
        return position + bytes.count
    }

    private static func appendPair(_ left: String, _ right: String, to out: inout [UInt8]) {
        out.append(0x5B)
        JSONText.appendString(left, to: &out)
        out.append(0x2C)
        JSONText.appendString(right, to: &out)
        out.append(0x5D)
    }
}
