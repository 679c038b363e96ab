/// A relocation job, one per content (`cid` is its key): move `filename` from `dbLevel` to `target`.
public struct RelocationJob: Sendable, Equatable {
    public enum Status: String, Sendable {
        /// The file must move; a worker may claim it.
        case update
        /// The file is in the target level (moved, or it was there already); `/update_sentence` commits it.
        case done
    }

    public var cid: Int64
    /// The view count the job was posted with.
    public var count: Int64
    public var target: String
    /// The level the content was in when the job was posted.
    public var dbLevel: String
    public var filename: String
    /// The worker that claimed the job; nil until one does.
    public var workerID: String?
    public var status: Status
    /// Unix seconds until which `workerID` holds the job (while `update`); after it another worker may
    /// take it. With no worker it is the time before which a failed job is not retried.
    public var leaseExpires: Double?

    public init(cid: Int64, count: Int64, target: String, dbLevel: String, filename: String,
                workerID: String? = nil, status: Status, leaseExpires: Double? = nil) {
        self.cid = cid
        self.count = count
        self.target = target
        self.dbLevel = dbLevel
        self.filename = filename
        self.workerID = workerID
        self.status = status
        self.leaseExpires = leaseExpires
    }

    /// Whether a worker is moving the file right now (claimed, lease not yet expired).
    public func isHeld(at now: Double) -> Bool {
        status == .update && workerID != nil && (leaseExpires ?? 0) >= now
    }
}
