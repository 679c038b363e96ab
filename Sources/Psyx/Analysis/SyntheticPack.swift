import Foundation

/// A generated pack whose truth is known, for the tests and the benchmark.
///
/// Noise patterns are random mixtures of smooth sinusoid patterns (in the spirit of rcicr's
/// noise), standard deviation 0.1; the images follow rcicr: ori = base/2 + 0.25 + noise/1.2,
/// inv = base/2 + 0.25 − noise/1.2, clipped to [0, 1]. Simulated participants choose by
/// correlating each pair with a hidden template, or at random. Everything follows from `seed`.
public struct SyntheticPack: Sendable {
    public let width: Int
    public let height: Int
    public let pairs: Int
    public let seed: UInt64
    /// The base face, 0…1 (rcicr's base after any contrast stretch): a bright oval on a darker
    /// ground unless given.
    public let base: [Float]
    /// The hidden template participants look for (unit standard deviation).
    public let template: [Float]
    private let basis: [[Float]]

    public init(width: Int, height: Int, pairs: Int, basisCount: Int = 24, seed: UInt64 = 7, base: [Float]? = nil) {
        self.width = width
        self.height = height
        self.pairs = pairs
        self.seed = seed
        var random = SeededGenerator(seed: seed)
        let count = width * height
        basis = (0..<max(1, basisCount)).map { _ in
            let fx = Double(random.below(7)) - 3, fy = Double(random.below(7)) - 3
            let phase = random.unit() * 2 * Double.pi
            let (fx1, fy1) = fx == 0 && fy == 0 ? (1.0, 0.0) : (fx, fy)
            return (0..<count).map { pixel in
                let x = Double(pixel % width) / Double(width), y = Double(pixel / width) / Double(height)
                return Float(sin(2 * Double.pi * (fx1 * x + fy1 * y) + phase))
            }
        }
        let weights = basis.indices.map { _ in Float(random.unit() * 2 - 1) }
        template = Self.normalized(Self.mix(basis, weights, count: count))
        self.base = base ?? (0..<count).map { pixel in
            let x = (Double(pixel % width) + 0.5) / Double(width) - 0.5
            let y = (Double(pixel / width) + 0.5) / Double(height) - 0.5
            return (x * x / 0.1 + y * y / 0.16) < 1 ? 0.75 : 0.3
        }
    }

    /// Pair `index`'s noise pattern (0-based), standard deviation 0.1.
    public func noise(_ index: Int) -> [Float] {
        var random = SeededGenerator(seed: seed &+ 0x1000 &+ UInt64(index) &* 0x9E37_79B9)
        let weights = basis.indices.map { _ in Float(random.unit() * 2 - 1) }
        return Self.normalized(Self.mix(basis, weights, count: width * height)).map { $0 * 0.1 }
    }

    /// The pair's two stimuli in grey levels.
    public func images(_ index: Int) -> (ori: GreyImage, inv: GreyImage) {
        let noise = noise(index)
        func image(_ sign: Float) -> GreyImage {
            let pixels = zip(base, noise).map { base, noise -> UInt8 in
                let value = base / 2 + 0.25 + sign * noise / 1.2
                return UInt8(min(max((value * 255).rounded(), 0), 255))
            }
            return GreyImage(width: width, height: height, pixels: pixels)
        }
        return (image(1), image(-1))
    }

    /// rcic-style file name of pair `index` (0-based): `rcic_00001_ori.png`.
    public static func fileName(_ index: Int, _ side: PairFileName.Side, jpeg: Bool) -> String {
        let digits = String(index + 1)
        return "rcic_" + String(repeating: "0", count: max(0, 5 - digits.count)) + digits + "_\(side.rawValue)" + (jpeg ? ".jpg" : ".png")
    }

    /// How much pair `index`'s ori image looks like the template, in units of its spread over pairs:
    /// what a template responder decides on. Computed once per pack by the caller.
    public func evidence() -> [Double] {
        let dots = (0..<pairs).map { index in zip(noise(index), template).reduce(0.0) { $0 + Double($1.0 * $1.1) } }
        let spread = (dots.reduce(0) { $0 + $1 * $1 } / Double(max(pairs, 1))).squareRoot()
        return spread > 0 ? dots.map { $0 / spread } : dots
    }

    /// A participant's responses, one per pair (+1 ori, −1 inv, 0 missed). Given `evidence`, a
    /// template responder picks ori when evidence plus Gaussian decision noise is positive;
    /// without it, a random responder flips a coin.
    public static func responses(seed participant: UInt64, evidence: [Double]?, pairs: Int, decisionNoise: Double = 1,
                                 missRate: Double = 0) -> [Int8] {
        var random = SeededGenerator(seed: participant)
        return (0..<pairs).map { index -> Int8 in
            let decision: Double
            if let evidence, index < evidence.count {
                decision = evidence[index] + decisionNoise * random.normal()
            } else {
                decision = random.unit() - 0.5
            }
            if random.unit() < missRate { return 0 }
            return decision >= 0 ? 1 : -1
        }
    }

    /// A reply's `answers` JSON as the experiment page submits it (layout `key,rt,left,right`): one
    /// `[key, rt, left, right]` per pair, sides shuffled by `seed`, `F`/`J` for the chosen side, `" "` for a missed trial.
    public static func answersJSON(_ responses: [Int8], files: (Int) -> (ori: String, inv: String), seed: UInt64) -> String {
        var random = SeededGenerator(seed: seed)
        var out: [UInt8] = [0x5B]
        for (index, response) in responses.enumerated() {
            let (ori, inv) = files(index)
            let (left, right) = random.below(2) == 0 ? (ori, inv) : (inv, ori)
            let key = response == 0 ? " " : ((response > 0) == (left == ori) ? "F" : "J")
            if index > 0 { out.append(0x2C) }
            TrialJSON.append(key: key, rt: response == 0 ? "3.0" : "0.8", x: left, y: right, to: &out)
        }
        out.append(0x5D)
        return String(decoding: out, as: UTF8.self)
    }

    static func mix(_ basis: [[Float]], _ weights: [Float], count: Int) -> [Float] {
        var out = [Float](repeating: 0, count: count)
        for (pattern, weight) in zip(basis, weights) {
            for pixel in 0..<count { out[pixel] += weight * pattern[pixel] }
        }
        return out
    }

    static func normalized(_ values: [Float]) -> [Float] {
        let count = Float(max(values.count, 1))
        let mean = values.reduce(0, +) / count
        let deviation = (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / count).squareRoot()
        return deviation > 0 ? values.map { ($0 - mean) / deviation } : values
    }
}
