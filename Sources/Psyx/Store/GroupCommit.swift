import FastCGI
import Dispatch

/// Gathers concurrent callers' work into shared batches, so many durable inserts cost one commit
/// (one fsync) instead of one each.
///
/// Leader/follower with hand-off: a caller queues its item; if no batch is being committed it becomes
/// the leader, takes up to `maxBatch` queued items (its own included) and commits them through the
/// function it was given. Items that arrive meanwhile wait in the queue. When the commit is done the
/// leader hands leadership to the oldest waiting caller (whose item heads the next batch), wakes the
/// callers of its batch with their results, and returns its own. No caller returns before the batch
/// holding its item has been committed, and no thread is kept around when nothing is submitted.
final class GroupCommit<Item: Sendable, Output: Sendable>: Sendable {
    /// One caller's place in the queue; its semaphore is signalled once, with a result or the lead.
    private final class Ticket: Sendable {
        let item: Item
        let wakeUp = DispatchSemaphore(value: 0)
        let slot = Locked<Slot?>(nil)

        init(item: Item) {
            self.item = item
        }
    }

    private enum Slot {
        case finished(Result<Output, any Error>)
        case lead
    }

    private struct State {
        /// Callers waiting for a batch, oldest first (at most one per blocked thread: short).
        var queue: [Ticket] = []
        var leaderActive = false
        var committedBatches = 0
    }

    private let state = Locked(State())
    let maxBatch: Int

    init(maxBatch: Int = 256) {
        self.maxBatch = max(1, maxBatch)
    }

    /// Items queued and not yet taken into a batch (for tests and diagnostics).
    var waitingCount: Int { state.withLock { $0.queue.count } }

    /// Batches committed so far (for tests and diagnostics).
    var committedBatches: Int { state.withLock { $0.committedBatches } }

    /// Submits `item` and returns its result once its batch is committed. `commit` receives a batch in
    /// submission order and must return exactly one result per item; every caller passes the same one.
    func submit(_ item: Item, commit: ([Item]) -> [Result<Output, any Error>]) throws -> Output {
        let ticket = Ticket(item: item)
        var leading = state.withLock { state -> Bool in
            state.queue.append(ticket)
            guard !state.leaderActive else { return false }
            state.leaderActive = true
            return true
        }
        while true {
            if leading {
                if let own = lead(ticket, commit: commit) {
                    return try own.get()
                }
                leading = false
            }
            ticket.wakeUp.wait()
            switch ticket.slot.withLock({ $0 }) {
            case .finished(let result)?:
                return try result.get()
            case .lead?:
                ticket.slot.withLock { $0 = nil }
                leading = true
            case nil:
                continue
            }
        }
    }

    /// Commits one batch as leader; returns the leader's own result when its item was in the batch.
    private func lead(_ own: Ticket, commit: ([Item]) -> [Result<Output, any Error>]) -> Result<Output, any Error>? {
        let batch = state.withLock { state -> [Ticket] in
            let taken = Array(state.queue.prefix(maxBatch))
            state.queue.removeFirst(taken.count)
            return taken
        }
        var results = commit(batch.map(\.item))
        if results.count != batch.count {
            let error = StoreError.failure("group commit: \(results.count) results for \(batch.count) items")
            results = Array(repeating: .failure(error), count: batch.count)
        }
        let next = state.withLock { state -> Ticket? in
            state.committedBatches += 1
            guard let first = state.queue.first else {
                state.leaderActive = false
                return nil
            }
            return first
        }
        if let next {
            next.slot.withLock { $0 = .lead }
            next.wakeUp.signal()
        }
        var ownResult: Result<Output, any Error>?
        for (ticket, result) in zip(batch, results) {
            if ticket === own {
                ownResult = result
            } else {
                ticket.slot.withLock { $0 = .finished(result) }
                ticket.wakeUp.signal()
            }
        }
        return ownResult
    }
}
