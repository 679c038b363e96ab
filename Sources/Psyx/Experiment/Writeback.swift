import Dispatch
import FastCGI

/// A head start for the syncfs that makes an upload durable: when an upload
/// begins, what is already dirty on the file system (above all Nginx's buffered
/// copy of the body, as large as the upload) is written back by a background
/// syncfs while the images are staged (each starts its own writeback as it
/// closes), so the final syncfs before the 200 finds little left to write.
/// Never a durability guarantee by itself.
enum Writeback {
    /// One background syncfs at a time: a kick while one runs is dropped, the
    /// next one (or the final syncfs) covers what it would have written.
    private static let running = Locked(false)

    static func kick(holding path: String) {
        let start = running.withLock { busy in
            if busy { return false }
            busy = true
            return true
        }
        guard start else { return }
        DispatchQueue.global(qos: .utility).async {
            try? FileSync.syncFileSystem(holding: path)
            running.withLock { $0 = false }
        }
    }
}
