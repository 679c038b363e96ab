import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Temporary copies left behind by a crashed or killed worker.
///
/// Each copy has its own random suffix, so removing another copy's temporary file never corrupts
/// anything: at worst that copy fails at its final rename and its job is retried.
extension FileMover {
    /// Removes every temporary copy of `name` in `folder` (before a new copy of it starts).
    static func removePartials(of name: String, in folder: String) {
        let prefix = partialName(for: name, id: "")
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] where entry.hasPrefix(prefix) {
            unlink(folder + "/" + entry)
        }
    }

    /// Removes temporary copies in `folder` not written to for `age` seconds (a live copy writes all the
    /// time); returns their names.
    @discardableResult
    public static func removeStalePartials(in folder: String, olderThan age: Double, now: Double) -> [String] {
        var removed: [String] = []
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] where isPartialName(entry) {
            let path = folder + "/" + entry
            guard let status = FileStatus.of(path), status.isRegularFile,
                  Double(status.modificationTime.tv_sec) < now - age, unlink(path) == 0 else { continue }
            removed.append(entry)
        }
        return removed
    }
}
