import Dispatch
import Foundation

/// Weighted sums of the difference rows: one CI is `Σ wᵢ · (oriᵢ − invᵢ)`. Work is split by pixel
/// ranges over every core; each worker owns its range of the output.
extension NoiseMatrix {
    static let block = 512

    static var workerCount: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }

    /// `Σ weights[i] · row(i)` for every pixel; pairs with weight 0 cost nothing.
    public func weightedSum(_ weights: [Float]) -> [Float] {
        let count = count, rows = min(pairs, weights.count)
        let used = (0..<rows).filter { weights[$0] != 0 }.map { ($0, weights[$0]) }
        var out = [Float](repeating: 0, count: count)
        let matrix = SendablePointer(differences)
        out.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            let target = SendablePointer(base)
            let blocks = (count + Self.block - 1) / Self.block
            DispatchQueue.concurrentPerform(iterations: min(blocks, Self.workerCount * 4)) { part in
                let parts = min(blocks, Self.workerCount * 4)
                for block in (part * blocks / parts)..<((part + 1) * blocks / parts) {
                    let start = block * Self.block, length = min(Self.block, count - start)
                    Self.accumulate(used, rows: { matrix.base + $0 * count + start }, into: target.base + start, length: length)
                }
            }
        }
        return out
    }

    /// The largest |value| of each weighted sum, without keeping the sums: what autoscaling needs
    /// of many CIs at once. Each block of pixels is converted to Float once; then four weight sets
    /// at a time run over it with their sums in SIMD registers, each row loaded once for all four.
    public func maxAbsoluteWeightedSums(_ sets: [[Float]]) -> [Float] {
        guard !sets.isEmpty else { return [] }
        let count = count, pairs = pairs, block = Self.block
        let groups = (sets.count + 3) / 4
        // weights[(group * pairs + pair) * 4 + lane]: set 4·group + lane, zero past the last set.
        var weights = [Float](repeating: 0, count: groups * pairs * 4)
        for (set, values) in sets.enumerated() {
            for pair in 0..<min(pairs, values.count) { weights[((set / 4) * pairs + pair) * 4 + set % 4] = values[pair] }
        }
        let blocks = (count + block - 1) / block
        let workers = min(blocks, Self.workerCount)
        var maxima = [Float](repeating: 0, count: workers * groups * 4)
        maxima.withUnsafeMutableBufferPointer { maximaBuffer in
            weights.withUnsafeMutableBufferPointer { weightBuffer in
                guard let maximaBase = maximaBuffer.baseAddress, let weightBase = weightBuffer.baseAddress else { return }
                let shared = (matrix: SendablePointer(differences), maxima: SendablePointer(maximaBase), weights: SendablePointer(weightBase))
                DispatchQueue.concurrentPerform(iterations: workers) { worker in
                    let scratch = UnsafeMutablePointer<Float>.allocate(capacity: pairs * block)
                    defer { scratch.deallocate() }
                    let maximum = shared.maxima.base + worker * groups * 4
                    for blockIndex in (worker * blocks / workers)..<((worker + 1) * blocks / workers) {
                        let start = blockIndex * block, length = min(block, count - start)
                        Self.convert(shared.matrix.base, rows: pairs, stride: count, start: start, length: length, into: scratch, block: block)
                        for group in 0..<groups {
                            Self.largestOfFour(scratch, rows: pairs, block: block, length: length,
                                               weights: shared.weights.base + group * pairs * 4, into: maximum + group * 4)
                        }
                    }
                }
            }
        }
        return (0..<sets.count).map { set in (0..<workers).map { maxima[$0 * groups * 4 + set] }.max() ?? 0 }
    }

    /// Four weighted sums over one converted block, eight pixels at a time in sixteen SIMD lanes per
    /// set (two independent chains each, within x86's sixteen vector registers); the largest
    /// |value| of each goes into `maxima[0..<4]`. The block is padded with zeros to a multiple of
    /// eight, which cannot raise a maximum.
    @inline(__always)
    private static func largestOfFour(_ scratch: UnsafeMutablePointer<Float>, rows: Int, block: Int, length: Int,
                                      weights: UnsafeMutablePointer<Float>, into maxima: UnsafeMutablePointer<Float>) {
        var m0 = SIMD4<Float>(), m1 = SIMD4<Float>(), m2 = SIMD4<Float>(), m3 = SIMD4<Float>()
        let base = UnsafeRawPointer(scratch), lanes = UnsafeRawPointer(weights)
        var x = 0
        while x < length {
            var a0 = SIMD4<Float>(), a1 = SIMD4<Float>(), a2 = SIMD4<Float>(), a3 = SIMD4<Float>()
            var b0 = SIMD4<Float>(), b1 = SIMD4<Float>(), b2 = SIMD4<Float>(), b3 = SIMD4<Float>()
            var offset = x &* 4
            for row in 0..<rows {
                let u = base.loadUnaligned(fromByteOffset: offset, as: SIMD4<Float>.self)
                let v = base.loadUnaligned(fromByteOffset: offset &+ 16, as: SIMD4<Float>.self)
                let w = lanes.loadUnaligned(fromByteOffset: row &* 16, as: SIMD4<Float>.self)
                let w0 = SIMD4<Float>(repeating: w[0]), w1 = SIMD4<Float>(repeating: w[1])
                let w2 = SIMD4<Float>(repeating: w[2]), w3 = SIMD4<Float>(repeating: w[3])
                a0 += w0 * u; b0 += w0 * v
                a1 += w1 * u; b1 += w1 * v
                a2 += w2 * u; b2 += w2 * v
                a3 += w3 * u; b3 += w3 * v
                offset &+= block &* 4
            }
            m0 = pointwiseMax(m0, pointwiseMax(pointwiseMax(a0, -a0), pointwiseMax(b0, -b0)))
            m1 = pointwiseMax(m1, pointwiseMax(pointwiseMax(a1, -a1), pointwiseMax(b1, -b1)))
            m2 = pointwiseMax(m2, pointwiseMax(pointwiseMax(a2, -a2), pointwiseMax(b2, -b2)))
            m3 = pointwiseMax(m3, pointwiseMax(pointwiseMax(a3, -a3), pointwiseMax(b3, -b3)))
            x &+= 8
        }
        maxima[0] = max(maxima[0], m0.max()); maxima[1] = max(maxima[1], m1.max())
        maxima[2] = max(maxima[2], m2.max()); maxima[3] = max(maxima[3], m3.max())
    }

    /// acc[x] += Σ weight · row[x] over the weighted rows, four rows per pass so the accumulator is
    /// loaded and stored a quarter as often.
    @inline(__always)
    static func accumulate(_ weighted: [(Int, Float)], rows: (Int) -> UnsafeMutablePointer<Int16>,
                           into acc: UnsafeMutablePointer<Float>, length: Int) {
        var next = 0
        while next + 4 <= weighted.count {
            let (p0, w0) = weighted[next], (p1, w1) = weighted[next + 1], (p2, w2) = weighted[next + 2], (p3, w3) = weighted[next + 3]
            let r0 = rows(p0), r1 = rows(p1), r2 = rows(p2), r3 = rows(p3)
            for x in 0..<length {
                acc[x] += w0 * Float(r0[x]) + w1 * Float(r1[x]) + w2 * Float(r2[x]) + w3 * Float(r3[x])
            }
            next += 4
        }
        for (pair, weight) in weighted[next...] {
            let row = rows(pair)
            for x in 0..<length { acc[x] += weight * Float(row[x]) }
        }
    }

    /// The same for rows already converted to Float.
    @inline(__always)
    static func accumulate(_ weighted: [(Int, Float)], rows: (Int) -> UnsafeMutablePointer<Float>,
                           into acc: UnsafeMutablePointer<Float>, length: Int) {
        var next = 0
        while next + 4 <= weighted.count {
            let (p0, w0) = weighted[next], (p1, w1) = weighted[next + 1], (p2, w2) = weighted[next + 2], (p3, w3) = weighted[next + 3]
            let r0 = rows(p0), r1 = rows(p1), r2 = rows(p2), r3 = rows(p3)
            for x in 0..<length { acc[x] += w0 * r0[x] + w1 * r1[x] + w2 * r2[x] + w3 * r3[x] }
            next += 4
        }
        for (pair, weight) in weighted[next...] {
            let row = rows(pair)
            for x in 0..<length { acc[x] += weight * row[x] }
        }
    }

    /// Rows `0..<rows` of pixels `start..<start+length` as Float, `block` apart; the rest of each row zero.
    static func convert(_ matrix: UnsafeMutablePointer<Int16>, rows: Int, stride: Int, start: Int, length: Int,
                        into scratch: UnsafeMutablePointer<Float>, block: Int) {
        for row in 0..<rows {
            let source = matrix + row * stride + start, target = scratch + row * block
            for x in 0..<length { target[x] = Float(source[x]) }
            if length < block { (target + length).update(repeating: 0, count: block - length) }
        }
    }
}
