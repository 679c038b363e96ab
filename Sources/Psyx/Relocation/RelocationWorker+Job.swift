import Foundation

/// One claimed job: find the folders, move the file, complete or give back the job, log it.
extension RelocationWorker {
    /// Returns true when the job was completed (moved and applied to the content).
    func process(_ claimed: ClaimedJob) throws -> Bool {
        let job = claimed.job
        let id = options.workerID
        let describe = "cid \(job.cid) \(job.filename) \(job.dbLevel) → \(job.target)"
        guard let source = claimed.levels.level(named: job.dbLevel),
              let target = claimed.levels.level(named: job.target) else {
            log.note(.error, "relocate worker \(id): \(describe): a level of the job no longer exists")
            try store.release(cid: job.cid, workerID: id, retryAt: clock() + options.retryDelay)
            return false
        }
        let started = clock()
        var lastRenewal = started
        let heartbeat = { [self] () throws -> Void in
            if isStopping { throw FileMoverError.cancelled }
            let now = clock()
            guard now - lastRenewal >= options.lease / 3 else { return }
            guard try store.renew(cid: job.cid, workerID: id, until: now + options.lease) else {
                throw RelocationWorkerError.leaseLost
            }
            lastRenewal = now
        }
        let outcome: FileMover.Outcome
        let from: Level
        do {
            (outcome, from) = try move(job.filename, from: source, to: target, among: claimed.levels, heartbeat: heartbeat)
        } catch FileMoverError.cancelled {
            log.note(.info, "relocate worker \(id): \(describe): stopped; the job is given back")
            try store.release(cid: job.cid, workerID: id, retryAt: nil)
            return false
        } catch RelocationWorkerError.leaseLost {
            log.note(.warning, "relocate worker \(id): \(describe): lost the job's lease; left to its new holder")
            return false
        } catch {
            log.note(.error, "relocate worker \(id): \(describe) failed: \(error); retry in \(Int(options.retryDelay)) s")
            try store.release(cid: job.cid, workerID: id, retryAt: clock() + options.retryDelay)
            return false
        }
        guard try store.complete(cid: job.cid, workerID: id, now: clock()) else {
            log.note(.warning, "relocate worker \(id): \(describe): moved, but the job had been taken over")
            return false
        }
        let via = from.name == source.name ? "" : " (found in \(from.name))"
        let milliseconds = Int(((clock() - started) * 1000).rounded())
        log.note(.info, "relocate worker \(id): \(describe)\(via): \(outcome.rawValue) in \(milliseconds) ms")
        return true
    }

    /// Moves from the source level; when the file is in neither the source nor the target (an earlier
    /// worker moved it toward a job that was since replaced), from the one other level that holds it.
    private func move(_ name: String, from source: Level, to target: Level, among levels: LevelSet,
                      heartbeat: () throws -> Void) throws -> (FileMover.Outcome, Level) {
        let targetFolder = target.folder(dataRoot: dataRoot)
        do {
            return (try mover.move(name, from: source.folder(dataRoot: dataRoot), to: targetFolder, heartbeat: heartbeat), source)
        } catch FileMoverError.sourceMissing(let path) {
            let holders = levels.levels.filter { level in
                level.name != source.name && level.name != target.name
                    && FileStatus.of(level.folder(dataRoot: dataRoot) + "/" + name)?.isRegularFile == true
            }
            guard holders.count == 1, let holder = holders.first else { throw FileMoverError.sourceMissing(path) }
            return (try mover.move(name, from: holder.folder(dataRoot: dataRoot), to: targetFolder, heartbeat: heartbeat), holder)
        }
    }
}

/// A worker's own reasons to stop a move.
enum RelocationWorkerError: Error {
    /// The job's lease ran out and another worker (or a new post) took the job.
    case leaseLost
}
