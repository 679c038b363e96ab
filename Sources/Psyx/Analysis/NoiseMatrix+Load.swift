import FastCGI
import Dispatch
import Foundation
import Synchronization

/// Building the matrix: pairs decoded in parallel, each worker summing its own share of the mean.
extension NoiseMatrix {
    typealias ImageSource = @Sendable (Int, PairFileName.Side) throws(AnalysisError) -> GreyImage

    /// `uploaded`: the pack's base face, which must have the size of its images.
    static func load(pairCount: Int, uploaded: (file: String, image: GreyImage)? = nil, images: ImageSource,
                     name: @Sendable (Int, PairFileName.Side) -> String) throws(AnalysisError) -> NoiseMatrix {
        guard pairCount > 0 else { throw .image(file: "(no pairs)", ImageError("the pack has no pairs")) }
        let first = try images(0, .ori)
        let (width, height) = (first.width, first.height)
        if let uploaded, uploaded.image.width != width || uploaded.image.height != height {
            throw .sizeMismatch(file: uploaded.file, expected: "\(width)x\(height)", found: "\(uploaded.image.width)x\(uploaded.image.height)")
        }
        let count = width * height
        let (bytes, overflow) = pairCount.multipliedReportingOverflow(by: count * 2)
        guard !overflow, bytes <= maxBytes else { throw .packTooLarge(bytes: overflow ? Int.max : bytes) }

        let differences = UnsafeMutablePointer<Int16>.allocate(capacity: pairCount * count)
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, pairCount))
        let sums = UnsafeMutablePointer<UInt32>.allocate(capacity: workers * count)
        sums.initialize(repeating: 0, count: workers * count)
        defer { sums.deallocate() }
        let shared = (differences: SendablePointer(differences), sums: SendablePointer(sums))
        let failure = Locked<(pair: Int, error: AnalysisError)?>(nil)
        let failed = Atomic<Bool>(false)
        let expected = "\(width)x\(height)"

        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            let sum = shared.sums.base + worker * count
            for pair in (worker * pairCount / workers)..<((worker + 1) * pairCount / workers) {
                if failed.load(ordering: .relaxed) { return }
                do throws(AnalysisError) {
                    let ori = try images(pair, .ori), inv = try images(pair, .inv)
                    for (image, side) in [(ori, PairFileName.Side.ori), (inv, .inv)]
                    where image.width != width || image.height != height {
                        throw .sizeMismatch(file: name(pair, side), expected: expected, found: "\(image.width)x\(image.height)")
                    }
                    accumulate(ori.pixels, inv.pixels, into: shared.differences.base + pair * count, sum: sum, count: count)
                } catch {
                    failed.store(true, ordering: .relaxed)
                    failure.withLock { current in
                        if let earlier = current, earlier.pair < pair { return }
                        current = (pair, error)
                    }
                    return
                }
            }
        }
        if let (_, error) = failure.withLock({ $0 }) {
            differences.deallocate()
            throw error
        }
        var mean = [Float](repeating: 0, count: count)
        let scale = 1 / (Float(2 * pairCount) * 255)
        for worker in 0..<workers {
            let sum = sums + worker * count
            for pixel in 0..<count { mean[pixel] += Float(sum[pixel]) }
        }
        for pixel in 0..<count { mean[pixel] *= scale }
        let face = uploaded.map { BaseFace.uploaded($0.image, file: $0.file) } ?? .recovered(mean: mean)
        return NoiseMatrix(pairs: pairCount, width: width, height: height, differences: differences, mean: mean, face: face)
    }

    /// One pair: its difference row, and both images added to the worker's base sum.
    private static func accumulate(_ ori: [UInt8], _ inv: [UInt8], into row: UnsafeMutablePointer<Int16>,
                                   sum: UnsafeMutablePointer<UInt32>, count: Int) {
        ori.withUnsafeBufferPointer { ori in
            inv.withUnsafeBufferPointer { inv in
                for pixel in 0..<count {
                    let a = ori[pixel], b = inv[pixel]
                    row[pixel] = Int16(a) - Int16(b)
                    sum[pixel] &+= UInt32(a) + UInt32(b)
                }
            }
        }
    }
}
