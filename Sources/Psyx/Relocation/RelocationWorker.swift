import Foundation
import Synchronization

/// `psyx relocate`: claims jobs, moves their files between level folders, and completes them.
///
/// A claim holds a job for `lease` seconds and is renewed while a copy runs, so a live worker keeps
/// its job and a dead one loses it: after the lease any worker takes the job again, and the mover's
/// rules (a missing source with the target present is moved) finish whatever the dead one left.
public final class RelocationWorker: Sendable {
    public struct Options: Sendable {
        public var workerID: String
        /// Seconds a claim lasts without renewal.
        public var lease: Double
        /// Seconds between looks for new jobs when there is nothing to do.
        public var pollInterval: Double
        /// Seconds before a job whose move failed is tried again.
        public var retryDelay: Double

        public init(workerID: String, lease: Double = 60, pollInterval: Double = 0.5, retryDelay: Double = 30) {
            self.workerID = workerID
            self.lease = lease
            self.pollInterval = pollInterval
            self.retryDelay = retryDelay
        }
    }

    let store: any RelocationStore
    let dataRoot: String
    let mover: FileMover
    let log: RequestLog
    public let options: Options
    let clock: @Sendable () -> Double
    private let stopRequested = Atomic<Bool>(false)

    public init(store: any RelocationStore, dataRoot: String, mover: FileMover, log: RequestLog, options: Options,
                clock: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }) {
        self.store = store
        self.dataRoot = dataRoot
        self.mover = mover
        self.log = log
        self.options = options
        self.clock = clock
    }

    /// Asks the worker to stop (from a signal handler's queue): a copy in progress is abandoned and its
    /// job given back at once; `run` returns at its next look.
    public func stop() {
        stopRequested.store(true, ordering: .relaxed)
    }

    public var isStopping: Bool { stopRequested.load(ordering: .relaxed) }

    /// Processes jobs until none can be claimed (or a stop is asked); returns how many were completed.
    /// A job that fails is logged and given back for later; a database failure is thrown.
    @discardableResult
    public func drain() throws -> Int {
        var completed = 0
        while !isStopping, let claimed = try store.claim(workerID: options.workerID, lease: options.lease, now: clock()) {
            if try process(claimed) { completed += 1 }
        }
        return completed
    }

    /// Runs until `stop()`: drains, then waits `pollInterval` for new jobs. Database failures are
    /// logged and retried after a pause; stale temporary copies are swept now and then.
    public func run() {
        var nextSweep = 0.0
        while !isStopping {
            if clock() >= nextSweep {
                sweepStalePartials()
                nextSweep = clock() + 600
            }
            do {
                try drain()
            } catch {
                log.note(.error, "relocate worker \(options.workerID): \(error); retrying in 5 s")
                pause(5)
                continue
            }
            pause(options.pollInterval)
        }
    }

    /// Removes temporary copies nobody has written to for a lease (their workers are gone).
    public func sweepStalePartials() {
        guard let levels = try? store.levelSet() else { return }
        for level in levels.levels {
            for name in FileMover.removeStalePartials(in: level.folder(dataRoot: dataRoot), olderThan: options.lease,
                                                      now: clock()) {
                log.note(.info, "relocate worker \(options.workerID): removed stale temporary copy \(name) in level \(level.name)")
            }
        }
    }

    /// Sleeps `seconds` in short steps so a stop is noticed quickly.
    private func pause(_ seconds: Double) {
        let deadline = clock() + seconds
        while !isStopping, clock() < deadline {
            usleep(UInt32(min(max(deadline - clock(), 0), 0.05) * 1_000_000) + 1)
        }
    }
}
