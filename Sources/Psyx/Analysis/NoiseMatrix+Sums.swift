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
                    let acc = target.base + start
                    for (pair, weight) in used {
                        let row = matrix.base + pair * count + start
                        for x in 0..<length { acc[x] += weight * Float(row[x]) }
                    }
                }
            }
        }
        return out
    }

    /// The largest |value| of each weighted sum, without keeping the sums: what autoscaling needs
    /// of many CIs at once. Each block of pixels is converted to Float once for all weight sets.
    public func maxAbsoluteWeightedSums(_ sets: [[Float]]) -> [Float] {
        guard !sets.isEmpty else { return [] }
        let count = count, pairs = pairs, block = Self.block
        let blocks = (count + block - 1) / block
        let workers = min(blocks, Self.workerCount)
        let maxima = UnsafeMutablePointer<Float>.allocate(capacity: workers * sets.count)
        maxima.initialize(repeating: 0, count: workers * sets.count)
        defer { maxima.deallocate() }
        let shared = (matrix: SendablePointer(differences), maxima: SendablePointer(maxima))
        let used = sets.map { weights in (0..<min(pairs, weights.count)).filter { weights[$0] != 0 }.map { ($0, weights[$0]) } }
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            let scratch = UnsafeMutablePointer<Float>.allocate(capacity: pairs * block)
            let acc = UnsafeMutablePointer<Float>.allocate(capacity: block)
            defer { scratch.deallocate(); acc.deallocate() }
            let maximum = shared.maxima.base + worker * sets.count
            for blockIndex in (worker * blocks / workers)..<((worker + 1) * blocks / workers) {
                let start = blockIndex * block, length = min(block, count - start)
                Self.convert(shared.matrix.base, rows: pairs, stride: count, start: start, length: length, into: scratch, block: block)
                for (set, weights) in used.enumerated() {
                    acc.update(repeating: 0, count: length)
                    for (pair, weight) in weights {
                        let row = scratch + pair * block
                        for x in 0..<length { acc[x] += weight * row[x] }
                    }
                    var largest = maximum[set]
                    for x in 0..<length { largest = max(largest, abs(acc[x])) }
                    maximum[set] = largest
                }
            }
        }
        return (0..<sets.count).map { set in (0..<workers).map { maxima[$0 * sets.count + set] }.max() ?? 0 }
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
