import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Free space in the data directory against a floor (PSYX_MIN_FREE_DISK): under it, pack uploads
/// are refused before they write anything, so replies — small, and precious — keep their room on
/// the disk that also holds the database; `/api/health` says so. A floor of 0 turns it off.
final class DiskSpaceGuard: Sendable {
    let path: String
    let floorBytes: Int
    /// Health is asked often and answered on the event loop: it reads a sample at most this old.
    private let sampleSeconds: Double
    private let sample = Mutex<(taken: Double, free: Int?)>((-.infinity, nil))

    init(path: String, floorBytes: Int, sampleSeconds: Double = 1) {
        self.path = path
        self.floorBytes = floorBytes
        self.sampleSeconds = sampleSeconds
    }

    /// Bytes an unprivileged process may still write there (statvfs f_bavail), nil when unknown.
    func freeBytes() -> Int? {
        var stats = statvfs()
        guard statvfs(path, &stats) == 0 else { return nil }
        let (bytes, overflow) = Int(clamping: stats.f_bavail).multipliedReportingOverflow(by: Int(clamping: stats.f_frsize))
        return overflow ? Int.max : bytes
    }

    /// Under the floor; unknown free space is not low (the guard never refuses on a guess).
    func isLow(_ free: Int?) -> Bool {
        guard let free, floorBytes > 0 else { return false }
        return free < floorBytes
    }

    /// Measured now: an upload may start only while the free space is at or above the floor.
    func checkRoomForUpload() throws(APIError) {
        let free = freeBytes()
        if isLow(free) { throw .lowDiskSpace(freeBytes: free ?? 0, floorBytes: floorBytes) }
    }

    /// The free space measured at most `sampleSeconds` ago (one statvfs a second however often asked).
    func recentFreeBytes() -> Int? {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC_COARSE, &now)
        let seconds = Double(now.tv_sec) + Double(now.tv_nsec) / 1_000_000_000
        if let fresh = sample.withLock({ seconds - $0.taken < sampleSeconds ? $0.free : nil }) { return fresh }
        let free = freeBytes()
        sample.withLock { $0 = (seconds, free) }
        return free
    }
}
