import Foundation

/// Removing a pack's folder: renamed out of the served tree at once, then deleted.
enum PackFolder {
    static func remove(_ path: String, via trash: String) {
        let parked = trash + "/removed-" + RequestID.make()
        let target = rename(path, parked) == 0 ? parked : path
        try? FileManager.default.removeItem(atPath: target)
    }
}
