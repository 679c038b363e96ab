import FastCGI

/// `GET /api/health` (spec §3.3): proves the database answers; reveals no data. It also tells
/// whether pack uploads are taken: `"disk":{"free_bytes":…,"floor_bytes":…,"uploads":"open"}`, or
/// `"uploads":"refused"` with a `"reason"` while the data directory's free space is under its floor.
/// The status stays `ok` then: the database answers, and replies are still taken. A database
/// server that cannot be reached (PostgreSQL) is a 503 saying so, the details in the log; any other
/// failure a 500.
struct HealthRoutes {
    let ping: @Sendable () throws -> Void
    let counters: ConnectionCounters
    var disk: DiskSpaceGuard?

    static let lowDiskReason = "free space in the data directory is under the floor (PSYX_MIN_FREE_DISK): pack uploads are refused until space is freed"

    func register(in router: inout Router) {
        router.add(Route(["GET"], "/api/health", answersInline: true) { _ in
            do { try ping() } catch let error as StoreError where error.isUnavailable {
                throw APIError.databaseUnavailable(cause: "health: database unreachable: \(error)")
            } catch {
                throw APIError.internalError(cause: "health: database did not answer: \(error)")
            }
            var body: [UInt8] = []
            body.reserveCapacity(disk == nil ? 96 : 320)
            body.append(contentsOf: #"{"status":"ok","connections":{"accepted":"#.utf8)
            JSONText.appendInteger(counters.accepted, to: &body)
            body.append(contentsOf: #","open":"#.utf8)
            JSONText.appendInteger(counters.open, to: &body)
            body.append(contentsOf: #","rejected":"#.utf8)
            JSONText.appendInteger(counters.rejected, to: &body)
            body.append(0x7D)
            if let disk { Self.appendDisk(disk, to: &body) }
            body.append(0x7D)
            return .json(body)
        })
    }

    private static func appendDisk(_ disk: DiskSpaceGuard, to body: inout [UInt8]) {
        let free = disk.recentFreeBytes()
        body.append(contentsOf: #","disk":{"free_bytes":"#.utf8)
        if let free { JSONText.appendInteger(free, to: &body) } else { body.append(contentsOf: "null".utf8) }
        body.append(contentsOf: #","floor_bytes":"#.utf8)
        JSONText.appendInteger(disk.floorBytes, to: &body)
        if disk.isLow(free) {
            body.append(contentsOf: #","uploads":"refused","reason":""#.utf8)
            body.append(contentsOf: lowDiskReason.utf8)
            body.append(contentsOf: #""}"#.utf8)
        } else {
            body.append(contentsOf: #","uploads":"open"}"#.utf8)
        }
    }
}
