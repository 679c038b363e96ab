import Dispatch
import Foundation

/// G = NᵀN over the difference rows (`G[i][k]` = Σ over pixels of rowᵢ · rowₖ): what makes each
/// reference CI of infoVal cost O(pairs²) instead of O(pixels · pairs).
///
/// Pixels go block by block (512 at a time, converted to Float so the block of every row sits in
/// L2); within a block 4×4 tiles of G are accumulated with SIMD, then added to the worker's own
/// Double G. Each core takes its own blocks; the workers' matrices are summed at the end.
extension NoiseMatrix {
    public func gram() -> [Double] {
        let pairs = pairs, count = count, block = Self.block
        let padded = (pairs + 3) / 4 * 4
        let blocks = (count + block - 1) / block
        let workers = min(blocks, Self.workerCount)
        let partial = UnsafeMutablePointer<Double>.allocate(capacity: workers * padded * padded)
        partial.initialize(repeating: 0, count: workers * padded * padded)
        defer { partial.deallocate() }
        let shared = (matrix: SendablePointer(differences), partial: SendablePointer(partial))
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            let scratch = UnsafeMutablePointer<Float>.allocate(capacity: padded * block)
            scratch.initialize(repeating: 0, count: padded * block)
            defer { scratch.deallocate() }
            let g = shared.partial.base + worker * padded * padded
            for blockIndex in stride(from: worker, to: blocks, by: workers) {
                let start = blockIndex * block
                Self.convert(shared.matrix.base, rows: pairs, stride: count, start: start,
                             length: min(block, count - start), into: scratch, block: block)
                for i in stride(from: 0, to: padded, by: 4) {
                    for k in stride(from: i, to: padded, by: 4) {
                        Self.tile(scratch, i, k, block: block, into: g, stride: padded)
                        Self.tile(scratch, i + 2, k, block: block, into: g, stride: padded)
                    }
                }
            }
        }
        var out = [Double](repeating: 0, count: pairs * pairs)
        for i in 0..<pairs {
            for k in i..<pairs {
                var value = 0.0
                for worker in 0..<workers { value += partial[worker * padded * padded + i * padded + k] }
                out[i * pairs + k] = value
                out[k * pairs + i] = value
            }
        }
        return out
    }

    /// Rows i, i+1 against rows k…k+3 over one block: eight dot products in SIMD registers.
    @inline(__always)
    private static func tile(_ scratch: UnsafeMutablePointer<Float>, _ i: Int, _ k: Int, block: Int,
                             into g: UnsafeMutablePointer<Double>, stride: Int) {
        let a0 = UnsafeRawPointer(scratch + i * block), a1 = a0 + block * 4
        let b0 = UnsafeRawPointer(scratch + k * block), b1 = b0 + block * 4, b2 = b1 + block * 4, b3 = b2 + block * 4
        var c00 = SIMD4<Float>(), c01 = SIMD4<Float>(), c02 = SIMD4<Float>(), c03 = SIMD4<Float>()
        var c10 = SIMD4<Float>(), c11 = SIMD4<Float>(), c12 = SIMD4<Float>(), c13 = SIMD4<Float>()
        var offset = 0
        let end = block * 4
        while offset < end {
            let y0 = b0.loadUnaligned(fromByteOffset: offset, as: SIMD4<Float>.self)
            let y1 = b1.loadUnaligned(fromByteOffset: offset, as: SIMD4<Float>.self)
            let y2 = b2.loadUnaligned(fromByteOffset: offset, as: SIMD4<Float>.self)
            let y3 = b3.loadUnaligned(fromByteOffset: offset, as: SIMD4<Float>.self)
            let u = a0.loadUnaligned(fromByteOffset: offset, as: SIMD4<Float>.self)
            c00 += u * y0; c01 += u * y1; c02 += u * y2; c03 += u * y3
            let v = a1.loadUnaligned(fromByteOffset: offset, as: SIMD4<Float>.self)
            c10 += v * y0; c11 += v * y1; c12 += v * y2; c13 += v * y3
            offset += 16
        }
        let row0 = g + i * stride + k, row1 = row0 + stride
        row0[0] += Double(c00.sum()); row0[1] += Double(c01.sum()); row0[2] += Double(c02.sum()); row0[3] += Double(c03.sum())
        row1[0] += Double(c10.sum()); row1[1] += Double(c11.sum()); row1[2] += Double(c12.sum()); row1[3] += Double(c13.sum())
    }
}
