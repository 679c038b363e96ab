/// A pack's `start` answer, encoded once: per participant only the order of the
/// pairs and their sides change, so a start is a shuffle of indices and copies.
final class StartAnswer: Sendable {
    private let head: [UInt8]
    /// Per pair, `["ori","inv"]` and `["inv","ori"]` as JSON.
    private let oriLeft: [[UInt8]]
    private let invLeft: [[UInt8]]
    private let tail: [UInt8]
    private let size: Int

    init(pack: Pack, timeLimit: Double) {
        var head = Array(#"{"p_id":"#.utf8)
        JSONText.appendInteger(pack.id, to: &head)
        head.append(contentsOf: #","pack_path":"#.utf8)
        JSONText.appendString("/packs/" + pack.name, to: &head)
        head.append(contentsOf: #","pic_pairs":["#.utf8)
        self.head = head
        oriLeft = pack.pairs.map { Self.pairJSON($0.ori, $0.inv) }
        invLeft = pack.pairs.map { Self.pairJSON($0.inv, $0.ori) }
        tail = Array(#"],"time_limit":\#(timeLimit)}"#.utf8)
        size = head.count + tail.count + oriLeft.reduce(pack.pairs.count) { $0 + $1.count }
    }

    /// Every pair once, in a fresh random order, each with a random side for its ori image.
    func render() -> [UInt8] {
        // One draw from the system's generator per participant seeds the order and the sides
        // (the system generator costs a getrandom call per use: hundreds per start).
        var random = SeededGenerator(seed: UInt64.random(in: .min ... .max))
        var out: [UInt8] = []
        out.reserveCapacity(size)
        out.append(contentsOf: head)
        for (position, index) in oriLeft.indices.shuffled(using: &random).enumerated() {
            if position > 0 { out.append(0x2C) }
            out.append(contentsOf: random.next() & 1 == 0 ? oriLeft[index] : invLeft[index])
        }
        out.append(contentsOf: tail)
        return out
    }

    private static func pairJSON(_ left: String, _ right: String) -> [UInt8] {
        var out: [UInt8] = [0x5B]
        JSONText.appendString(left, to: &out)
        out.append(0x2C)
        JSONText.appendString(right, to: &out)
        out.append(0x5D)
        return out
    }
}
