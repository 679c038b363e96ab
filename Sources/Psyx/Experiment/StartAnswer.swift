/// A pack's `start` answer, encoded once: per participant only the order of the
/// pairs and their sides change, so a start is a shuffle of indices and copies.
final class StartAnswer: Sendable {
    private let head: [UInt8]
    private let tail: [UInt8]
    /// Every pair's JSON in both side orders, back to back: `["ori","inv"]["inv","ori"]…`.
    private let pairs: [UInt8]
    /// Where pair i's `["ori","inv"]` starts in `pairs`; its `["inv","ori"]` follows it
    /// (same length: the same two names swapped), and pair i + 1 starts after both.
    private let starts: [Int]
    /// The exact length of every answer: the order changes, the bytes it copies do not.
    private let size: Int

    init(pack: Pack, timeLimit: Double) {
        var head = Array(#"{"p_id":"#.utf8)
        JSONText.appendInteger(pack.id, to: &head)
        head.append(contentsOf: #","pack_path":"#.utf8)
        JSONText.appendString("/packs/" + pack.name, to: &head)
        head.append(contentsOf: #","pic_pairs":["#.utf8)
        self.head = head
        tail = Array(#"],"time_limit":\#(timeLimit)}"#.utf8)
        var pairs: [UInt8] = []
        var starts: [Int] = []
        for pair in pack.pairs {
            starts.append(pairs.count)
            Self.appendPair(pair.ori, pair.inv, to: &pairs)
            Self.appendPair(pair.inv, pair.ori, to: &pairs)
        }
        starts.append(pairs.count)
        self.pairs = pairs
        self.starts = starts
        size = head.count + tail.count + pairs.count / 2 + max(0, pack.pairs.count - 1)
    }

    /// Every pair once, in a fresh random order, each with a random side for its ori image.
    func render() -> [UInt8] {
        // One draw from the system's generator per participant seeds the order and the sides
        // (the system generator costs a getrandom call per use: hundreds per start).
        var random = SeededGenerator(seed: UInt64.random(in: .min ... .max))
        var order = Array(0..<(starts.count - 1))
        order.shuffle(using: &random)
        return [UInt8](unsafeUninitializedCapacity: size) { out, count in
            let out = UnsafeMutableRawBufferPointer(out)
            var position = copy(head[...], into: out, at: 0)
            pairs.withUnsafeBytes { all in
                for (rank, index) in order.enumerated() {
                    if rank > 0 {
                        out[position] = 0x2C
                        position += 1
                    }
                    let half = (starts[index + 1] - starts[index]) / 2
                    let start = starts[index] + (random.next() & 1 == 0 ? 0 : half)
                    out.baseAddress!.advanced(by: position).copyMemory(from: all.baseAddress! + start, byteCount: half)
                    position += half
                }
            }
            count = copy(tail[...], into: out, at: position)
        }
    }

    /// Copies `bytes` into `out` at `position`; the position after them.
    private func copy(_ bytes: ArraySlice<UInt8>, into out: UnsafeMutableRawBufferPointer, at position: Int) -> Int {
        bytes.withUnsafeBytes { out.baseAddress!.advanced(by: position).copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
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
