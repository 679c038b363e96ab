import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Which pack (id) each folder in `packs/` copies, kept in `<data>/pack-copies` (outside the
/// served tree) so that a responder started again knows its copies: one that was down while a pack
/// was removed (or removed and made again under its name) deletes that copy at start-up instead of
/// quarantining it — or refusing to start when no pack is left. Lines `<id>\t<name>`; written whole
/// (temporary file, rename). A lost or stale record only makes start-up more careful, never less:
/// a folder it does not name is judged as on one machine.
struct PackCopyRecord: Sendable {
    let path: String

    init(data: DataDirectory) { path = data.root + "/pack-copies" }

    func read() -> [String: Int64] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [:] }
        var out: [String: Int64] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: "\t", maxSplits: 1)
            if parts.count == 2, let id = Int64(parts[0]) { out[String(parts[1])] = id }
        }
        return out
    }

    func write(_ copies: [String: Int64]) {
        let text = copies.sorted { $0.key < $1.key }.map { "\($0.value)\t\($0.key)\n" }.joined()
        let temporary = path + ".new"
        guard FileManager.default.createFile(atPath: temporary, contents: Data(text.utf8)) else { return }
        rename(temporary, path)
    }
}
