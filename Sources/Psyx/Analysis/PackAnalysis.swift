import FastCGI
import Foundation

/// Everything the analysis keeps for one pack: the replies' running sums, the decoded images
/// (dropped when memory is short, decoded again when needed), the Gram matrix with its reference
/// norms, autoscale magnitudes and encoded pictures.
///
/// Each expensive thing is made under its own lock, so two requests never decode or compute the
/// same thing twice, and a long Gram computation does not hold up CI pictures.
final class PackAnalysis: Sendable {
    let pack: Pack
    let folder: String
    let gramFile: String
    private let tally: Locked<PackTally>
    private let noiseSlot = Locked<NoiseMatrix?>(nil)
    private let noiseLoading = Locked(())
    /// What the pictures are laid over (`BaseFace.description`), kept when the images are dropped.
    private let faceSlot = Locked<String?>(nil)
    private let gramSlot = Locked<(gram: GramMatrix, reference: ReferenceNorms)?>(nil)
    private let gramComputing = Locked(())
    private let pictures = Locked(PictureCache())
    /// Autoscale: the largest |value| of each reply's CI, and of the pack CI at a `ReplyState.version`.
    private let magnitudes = Locked<(replies: [Int64: Float], pack: (version: Int, value: Float)?)>(([:], nil))

    init(pack: Pack, folder: String, gramFile: String) {
        self.pack = pack
        self.folder = folder
        self.gramFile = gramFile
        tally = Locked(PackTally(pack: pack))
    }

    /// Brings the tally up to date: only changed counters read the replies, and only replies not
    /// seen before are parsed — unless replies were deleted since (a withdrawal): then the sums
    /// start anew, and the pictures and magnitudes made from the old ones are dropped.
    func sync(with store: any ExperimentStore) throws -> PackTally {
        let state = try store.replyState(packID: pack.id)
        return try tally.withLock { tally throws -> PackTally in
            if tally.state.deleted != state.deleted {
                tally = PackTally(pack: pack)
                pictures.withLock { $0 = PictureCache() }
                magnitudes.withLock { $0 = ([:], nil) }
            }
            if tally.state != state {
                try store.forEachReply(packID: pack.id) { reply in
                    tally.add(replyID: reply.id, answers: reply.answers, layout: reply.layout)
                }
                tally.state = state
            }
            return tally
        }
    }

    // MARK: Decoded images

    var loadedNoise: NoiseMatrix? { noiseSlot.withLock { $0 } }

    func dropNoise() { noiseSlot.withLock { $0 = nil } }

    /// The base face's description once the images have been decoded.
    var faceDescription: String? { faceSlot.withLock { $0 } }

    /// The decoded pack, loading it on first use; `loaded` runs after a fresh load.
    func noise(loaded: (NoiseMatrix) -> Void) throws(AnalysisError) -> NoiseMatrix {
        if let noise = loadedNoise { return noise }
        let (noise, fresh) = try noiseLoading.withLock { _ throws(AnalysisError) -> (NoiseMatrix, Bool) in
            if let noise = loadedNoise { return (noise, false) }
            let noise = try NoiseMatrix.load(folder: folder, pairs: pack.pairs)
            noiseSlot.withLock { $0 = noise }
            faceSlot.withLock { $0 = noise.face.description }
            return (noise, true)
        }
        if fresh { loaded(noise) }
        return noise
    }

    // MARK: Pictures

    func picture(_ key: PictureCache.Key, tally: PackTally,
                 noise: () throws(AnalysisError) -> NoiseMatrix) throws(AnalysisError) -> [UInt8] {
        if let png = pictures.withLock({ $0[key] }) { return png }
        let matrix = try noise()
        let weights = key.replyID.flatMap { tally.weights(replyID: $0) } ?? tally.packWeights
        let ci = matrix.weightedSum(weights)
        let own = CIScaling.largestMagnitude(ci)
        if key.replyID == nil { magnitudes.withLock { $0.pack = (tally.state.version, own) } }
        let constant = key.scaling == .independent ? own : autoscaleConstant(tally: tally, matrix: matrix)
        var image = CIScaling.picture(ci: ci, base: matrix.face.pixels, constant: constant, width: matrix.width, height: matrix.height)
        if let size = key.size { image = image.fitted(in: size) }
        let png: [UInt8]
        do throws(ImageError) { png = try PNGEncoder.encode(image) } catch {
            throw .image(file: "(CI picture)", error)
        }
        pictures.withLock { $0.store(png, for: key) }
        return png
    }

    /// rcicr's autoscale constant over all of the pack's CIs: the pack CI and every reply's.
    /// Replies never change (a withdrawal empties these), so each reply's magnitude is computed
    /// once; new replies are computed together, in one pass over the images.
    private func autoscaleConstant(tally: PackTally, matrix: NoiseMatrix) -> Float {
        let known = magnitudes.withLock { $0 }
        let missing = tally.replyIDs.filter { known.replies[$0] == nil }
        let computed = matrix.maxAbsoluteWeightedSums(missing.map { tally.weights(replyID: $0) ?? [] })
        var packValue = known.pack.flatMap { $0.version == tally.state.version ? $0.value : nil }
        if packValue == nil { packValue = CIScaling.largestMagnitude(matrix.weightedSum(tally.packWeights)) }
        let all = magnitudes.withLock { state -> [Int64: Float] in
            for (id, value) in zip(missing, computed) { state.replies[id] = value }
            state.pack = (tally.state.version, packValue ?? 0)
            return state.replies
        }
        return tally.replyIDs.reduce(packValue ?? 0) { max($0, all[$1] ?? 0) }
    }

    // MARK: infoVal

    /// The Gram matrix (read from its cache file, or computed, then handed to `computed` to be
    /// written there) and the reference norms made from it, once per pack.
    func reference(noise: () throws(AnalysisError) -> NoiseMatrix,
                   computed: (GramMatrix) -> Void) throws(AnalysisError) -> (gram: GramMatrix, reference: ReferenceNorms) {
        if let state = gramSlot.withLock({ $0 }) { return state }
        return try gramComputing.withLock { _ throws(AnalysisError) -> (gram: GramMatrix, reference: ReferenceNorms) in
            if let state = gramSlot.withLock({ $0 }) { return state }
            let stored = FileManager.default.contents(atPath: gramFile).flatMap {
                GramMatrix.decode([UInt8]($0), pairs: pack.pairs.count)
            }
            let gram: GramMatrix
            if let stored {
                gram = stored
            } else {
                gram = GramMatrix(try noise())
                computed(gram)
            }
            let state = (gram: gram, reference: ReferenceNorms(gram: gram))
            gramSlot.withLock { $0 = state }
            return state
        }
    }
}
