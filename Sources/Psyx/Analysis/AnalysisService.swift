import FastCGI
import Foundation

/// Classification images and infoVal for the admin API, computed live on the server.
///
/// One `PackAnalysis` per pack asked about. Decoded images are the big item (2 bytes per pixel
/// per pair): those of the packs used least recently are dropped once they exceed
/// `memoryBudget`, and decoded again when asked for. Gram matrices go to files under
/// `<data>/cache/analysis/`, so a restart does not recompute them.
public final class AnalysisService: Sendable {
    let store: any ExperimentStore
    let data: DataDirectory
    let log: RequestLog?
    let memoryBudget: Int
    /// This node's copies of the packs the database keeps (PostgreSQL): filled before images are read.
    let packCopies: PackCopies?
    private let packs = Locked<[Int64: PackAnalysis]>([:])
    /// Pack ids whose images are decoded, least recently used first.
    private let recent = Locked<[Int64]>([])

    public static let defaultMemoryBudget = 320 << 20
    /// Packs beyond this many pairs get no infoVal (the Gram matrix grows with pairs²).
    public static let maxInfoValPairs = 4096

    public convenience init(store: any ExperimentStore, data: DataDirectory, log: RequestLog?, memoryBudget: Int = defaultMemoryBudget) {
        self.init(store: store, data: data, log: log, memoryBudget: memoryBudget, packCopies: nil)
    }

    init(store: any ExperimentStore, data: DataDirectory, log: RequestLog?, memoryBudget: Int = defaultMemoryBudget,
         packCopies: PackCopies?) {
        self.packCopies = packCopies
        self.store = store
        self.data = data
        self.log = log
        self.memoryBudget = memoryBudget
    }

    public var cacheFolder: String { data.root + "/cache/analysis" }

    /// The picture of a CI as PNG: the pack's CI over all replies, or one reply's; `size` fits
    /// it in a square of that many pixels (thumbnails). `base` says which face it is laid over.
    public func ciPNG(packID: Int64, replyID: Int64? = nil, scaling: CIScaling = .independent,
                      size: Int? = nil) throws -> (png: [UInt8], base: String) {
        let analysis = try self.analysis(packID)
        let tally = try analysis.sync(with: store)
        guard tally.replyCount > 0 else { throw APIError.badRequest("No Replies Yet") }
        if let replyID, tally.weights(replyID: replyID) == nil { throw APIError.badRequest("Unknown Reply \(replyID)") }
        let dependsOnOthers = replyID == nil || scaling == .autoscale
        let key = PictureCache.Key(replyID: replyID, scaling: scaling, size: size, version: dependsOnOthers ? tally.state.version : 0)
        let png = try analysis.picture(key, tally: tally) { () throws(AnalysisError) in try noise(of: analysis) }
        return (png, try analysis.faceDescription ?? noise(of: analysis).face.description)
    }

    /// Every reply's infoVal, by r_id.
    public func infoVals(packID: Int64) throws -> [InfoValRow] {
        let analysis = try self.analysis(packID)
        let tally = try analysis.sync(with: store)
        guard tally.replyCount > 0 else { throw APIError.badRequest("No Replies Yet") }
        guard analysis.pack.pairs.count <= Self.maxInfoValPairs else {
            throw APIError.badRequest("Pack Too Large for InfoVal")
        }
        let (gram, reference) = try analysis.reference(noise: { () throws(AnalysisError) in try noise(of: analysis) }) { gram in
            writeGram(gram, to: analysis.gramFile, packID: packID)
        }
        return tally.replyIDs.map { id in
            let responses = tally.responses[id] ?? []
            let trials = tally.trials(replyID: id)
            let norm = reference.norm(responses: responses, gram: gram)
            return InfoValRow(replyID: id, infoVal: reference.infoVal(norm: norm, trials: trials), trials: trials)
        }
    }

    /// The pack's analysis state, made on first use; a pack that is gone is forgotten.
    func analysis(_ packID: Int64) throws -> PackAnalysis {
        guard let pack = try store.pack(id: packID) else {
            forget(packID)
            throw APIError.badRequest("Pack \(packID) Not Found")
        }
        do {
            try packCopies?.ensure(id: pack.id, name: pack.name)
        } catch APIError.notFound {
            forget(packID)
            throw APIError.badRequest("Pack \(packID) Not Found")
        }
        return packs.withLock { packs in
            if let existing = packs[packID], existing.pack == pack { return existing }
            let created = PackAnalysis(pack: pack, folder: data.packs + "/" + pack.name,
                                       gramFile: cacheFolder + "/gram-\(packID).bin")
            packs[packID] = created
            return created
        }
    }

    private func forget(_ packID: Int64) {
        packs.withLock { $0[packID] = nil }
        recent.withLock { $0.removeAll { $0 == packID } }
    }

    /// The pack's decoded images; after a fresh decode, other packs' images are dropped while
    /// the total is over the budget.
    private func noise(of analysis: PackAnalysis) throws(AnalysisError) -> NoiseMatrix {
        let started = DispatchTime.now().uptimeNanoseconds
        let noise = try analysis.noise { noise in
            let seconds = Double(DispatchTime.now().uptimeNanoseconds &- started) / 1e9
            log?.note(.info, "analysis: pack \(analysis.pack.id) images decoded (\(noise.pairs) pairs, \(noise.width)x\(noise.height)) in \(String(format: "%.2f", seconds)) s")
        }
        let id = analysis.pack.id
        let order = recent.withLock { recent in
            recent.removeAll { $0 == id }
            recent.append(id)
            return recent
        }
        let loaded = packs.withLock { packs in order.compactMap { packs[$0] } }
        var total = loaded.reduce(0) { $0 + ($1.loadedNoise?.byteCount ?? 0) }
        for other in loaded where other.pack.id != id && total > memoryBudget {
            total -= other.loadedNoise?.byteCount ?? 0
            other.dropNoise()
            recent.withLock { $0.removeAll { $0 == other.pack.id } }
        }
        return noise
    }
}
