import Synchronization

/// What the probe receivers of a test saw, shared between connection threads and the test.
final class ReceiverLog: Sendable {
    private let state = Mutex<(received: Int, created: Int, released: [Int])>((0, 0, []))

    func noteCreated() { state.withLock { $0.created += 1 } }
    func noteReceived(count: Int) { state.withLock { $0.received = count } }
    func noteReleased(count: Int) { state.withLock { $0.released.append(count) } }

    /// Bytes the current receiver has taken so far.
    var received: Int { state.withLock { $0.received } }
    var created: Int { state.withLock { $0.created } }
    /// The byte counts of the receivers released so far, in order.
    var released: [Int] { state.withLock { $0.released } }
}
