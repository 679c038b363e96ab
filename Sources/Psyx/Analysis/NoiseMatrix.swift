import Dispatch
import Foundation
import Synchronization

/// A pack's images reduced to what the analysis needs: for each pair the difference `ori − inv`
/// (proportional to its noise pattern) in grey levels, the mean of all the pack's images, and the
/// base face CIs are laid over (`BaseFace`). Decoded once and kept, so a CI costs one pass over the
/// differences.
///
/// Immutable after `load`; the differences live in one allocation freed with the object.
public final class NoiseMatrix: @unchecked Sendable {
    public let pairs: Int
    public let width: Int
    public let height: Int
    /// Pixels per image.
    public var count: Int { width * height }
    /// Row `i` (`count` values) is pair i's `ori − inv`, each in −255…255.
    let differences: UnsafeMutablePointer<Int16>
    /// The mean of all `2 × pairs` images, 0…1.
    public let mean: [Float]
    /// The pack's uploaded base face, or the one recovered from `mean`.
    public let face: BaseFace

    /// The most memory the differences of one pack may take.
    public static let maxBytes = 1 << 30

    /// Bytes held: what the analysis cache counts against its budget.
    public var byteCount: Int { pairs * count * 2 + count * 8 }

    init(pairs: Int, width: Int, height: Int, differences: UnsafeMutablePointer<Int16>, mean: [Float], face: BaseFace) {
        self.pairs = pairs
        self.width = width
        self.height = height
        self.differences = differences
        self.mean = mean
        self.face = face
    }

    deinit { differences.deallocate() }

    /// One difference row, for kernels and tests.
    func row(_ pair: Int) -> UnsafeMutablePointer<Int16> { differences + pair * count }

    /// Builds the matrix from in-memory images (tests and tools): `ori[i]`, `inv[i]` per pair, and
    /// the base face when there is one.
    public static func make(ori: [GreyImage], inv: [GreyImage], base: GreyImage? = nil) throws(AnalysisError) -> NoiseMatrix {
        let pairCount = min(ori.count, inv.count)
        return try load(pairCount: pairCount, uploaded: base.map { ("base", $0) },
                        images: { index, side in side == .ori ? ori[index] : inv[index] },
                        name: { index, side in "pair \(index + 1) \(side.rawValue)" })
    }

    /// Decodes the pack's files in `folder` on every core, with its base face if it has one. Any
    /// unreadable, corrupt or differently-sized image fails the whole load, naming the file.
    public static func load(folder: String, pairs: [PackPair]) throws(AnalysisError) -> NoiseMatrix {
        let name: @Sendable (Int, PairFileName.Side) -> String = { index, side in
            side == .ori ? pairs[index].ori : pairs[index].inv
        }
        let uploaded = try BaseFace.image(in: folder)
        return try load(pairCount: pairs.count, uploaded: uploaded, images: { index, side throws(AnalysisError) in
            let file = name(index, side)
            do throws(ImageError) { return try ImageFile.readGrey(path: folder + "/" + file) } catch {
                throw .image(file: file, error)
            }
        }, name: name)
    }
}
