import Foundation

/// The analysis cache folder: Gram matrices, one file per pack, written whole or not at all.
extension AnalysisService {
    /// Writes `gram` (a temporary file renamed into place) and removes the files of packs that no
    /// longer exist. A failure only costs a recomputation later, so it is logged, not thrown.
    func writeGram(_ gram: GramMatrix, to path: String, packID: Int64) {
        let manager = FileManager.default
        do {
            try manager.createDirectory(atPath: cacheFolder, withIntermediateDirectories: true,
                                        attributes: [.posixPermissions: 0o700])
            let temporary = path + ".partial"
            guard manager.createFile(atPath: temporary, contents: Data(gram.encoded()), attributes: [.posixPermissions: 0o600]),
                  rename(temporary, path) == 0 else {
                try? manager.removeItem(atPath: temporary)
                throw ImageError("cannot write \(path)")
            }
        } catch {
            log?.note(.warning, "analysis: Gram matrix of pack \(packID) not cached: \(error)")
        }
        guard let live = try? Set(store.packSummaries().map(\.id)) else { return }
        for entry in (try? manager.contentsOfDirectory(atPath: cacheFolder)) ?? [] {
            guard entry.hasPrefix("gram-"), entry.hasSuffix(".bin"),
                  let id = Int64(entry.dropFirst(5).dropLast(4)), !live.contains(id) else { continue }
            try? manager.removeItem(atPath: cacheFolder + "/" + entry)
        }
    }
}
