import Dispatch
import Foundation

/// infoVal's null distribution for one pack (Brinkman et al. 2019; rcicr's reference norms): for each
/// number of answered trials n, the median and MAD of the Frobenius norms of `iterations` CIs made
/// from n trials with random ±1 responses.
///
/// Each simulated CI costs O(pairs²) through the Gram matrix: ‖N·r‖² = rᵀGr. Iteration t draws a
/// random order of the pack's pairs and random signs; the CI of its first n pairs is the reference
/// CI for n trials, so one pass grows the quadratic form pair by pair and yields every n at once
/// (the trials left out are a random subset, as a participant's missed trials are). Iteration t's
/// generator is seeded from (`seed`, t) alone: the result does not depend on the number of cores.
public struct ReferenceNorms: Sendable {
    public static let defaultIterations = 10_000
    public static let defaultSeed: UInt64 = 0x5053_5958  // "PSYX"

    public let pairs: Int
    /// The Gram matrix is divided by this before anything is summed (its mean diagonal).
    let scale: Double
    /// Index n − 1: median and MAD (× 1.4826) of the reference norms for n trials.
    let summaries: [(median: Double, mad: Double)]

    public init(gram matrix: GramMatrix, iterations: Int = defaultIterations, seed: UInt64 = defaultSeed) {
        let pairs = matrix.pairs, gram = matrix.values
        self.pairs = pairs
        let diagonal = (0..<pairs).reduce(0.0) { $0 + gram[$1 * pairs + $1] } / Double(max(pairs, 1))
        let scale = diagonal > 0 ? diagonal : 1
        self.scale = scale
        let norms = Self.simulate(gram: gram.map { Float($0 / scale) }, pairs: pairs, iterations: iterations, seed: seed)
        summaries = Self.summarize(norms, pairs: pairs, iterations: iterations)
    }

    /// The norm of the CI `Σ rᵢ Nᵢ / n` over a reply's answered pairs, on the same scale as the reference.
    public func norm(responses: [Int8], gram matrix: GramMatrix) -> Double {
        let gram = matrix.values
        guard matrix.pairs == pairs else { return .nan }
        let answered = responses.indices.filter { $0 < pairs && responses[$0] != 0 }
        guard !answered.isEmpty else { return 0 }
        var quadratic = 0.0
        for i in answered {
            var row = 0.0
            for k in answered { row += Double(responses[k]) * gram[i * pairs + k] }
            quadratic += Double(responses[i]) * row
        }
        return (max(quadratic, 0) / scale).squareRoot() / Double(answered.count)
    }

    /// z = (norm − median) / MAD for `trials` answered trials; nil when undefined (no trials, or a
    /// reference without spread).
    public func infoVal(norm: Double, trials: Int) -> Double? {
        guard trials >= 1, trials <= pairs else { return nil }
        let summary = summaries[trials - 1]
        guard summary.mad > 0, summary.mad.isFinite else { return nil }
        let z = (norm - summary.median) / summary.mad
        return z.isFinite ? z : nil
    }

    /// Median and MAD of each trial count's column, one column per task.
    private static func summarize(_ norms: [Float], pairs: Int, iterations: Int) -> [(median: Double, mad: Double)] {
        var summaries = [(median: Double, mad: Double)](repeating: (0, 0), count: pairs)
        summaries.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            let out = SendablePointer(base)
            DispatchQueue.concurrentPerform(iterations: pairs) { step in
                var column = (0..<iterations).map { norms[$0 * pairs + step] }
                out.base[step] = RobustStatistics.medianAndMAD(&column)
            }
        }
        return summaries
    }

    /// Norms laid out iteration by iteration: `[t * pairs + (n − 1)]`.
    private static func simulate(gram: [Float], pairs: Int, iterations: Int, seed: UInt64) -> [Float] {
        var norms = [Float](repeating: 0, count: iterations * pairs)
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, iterations))
        norms.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            let out = SendablePointer(base)
            gram.withUnsafeBufferPointer { g in
                guard let g = g.baseAddress else { return }
                let matrix = SendablePointer(UnsafeMutablePointer(mutating: g))
                DispatchQueue.concurrentPerform(iterations: workers) { worker in
                    let order = UnsafeMutablePointer<Int>.allocate(capacity: pairs)
                    let product = UnsafeMutablePointer<Float>.allocate(capacity: pairs)  // G·v over the signed pairs so far
                    defer { order.deallocate(); product.deallocate() }
                    for t in (worker * iterations / workers)..<((worker + 1) * iterations / workers) {
                        var random = SeededGenerator(seed: seed ^ (UInt64(t) &* 0xD1B5_4A32_D192_ED03))
                        for i in 0..<pairs { order[i] = i }
                        for i in stride(from: pairs - 1, to: 0, by: -1) {
                            let j = random.below(i + 1)
                            (order[i], order[j]) = (order[j], order[i])
                        }
                        product.update(repeating: 0, count: pairs)
                        var quadratic = 0.0
                        let row = out.base + t * pairs
                        var bits: UInt64 = 0, left = 0
                        for step in 0..<pairs {
                            if left == 0 { bits = random.next(); left = 64 }
                            let sign: Float = bits & 1 == 0 ? 1 : -1
                            bits >>= 1
                            left -= 1
                            let pair = order[step]
                            let column = matrix.base + pair * pairs
                            quadratic += Double(column[pair]) + 2 * Double(sign * product[pair])
                            Self.addScaled(column, sign, to: product, count: pairs)
                            row[step] = Float(max(quadratic, 0).squareRoot() / Double(step + 1))
                        }
                    }
                }
            }
        }
        return norms
    }

    /// target += scale · source (a plain loop: the optimizer vectorizes it).
    @inline(__always)
    private static func addScaled(_ source: UnsafeMutablePointer<Float>, _ scale: Float,
                                  to target: UnsafeMutablePointer<Float>, count: Int) {
        var index = 0
        while index < count {
            target[index] += scale * source[index]
            index += 1
        }
    }
}
