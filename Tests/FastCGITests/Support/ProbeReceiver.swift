import Synchronization
@testable import FastCGI

/// A body receiver that checksums what it is given and tells its log when it is
/// released, to see that the server hands it every byte in order and drops it
/// whenever the body is refused or aborted.
final class ProbeReceiver: BodyReceiver, @unchecked Sendable {
    private let log: ReceiverLog
    private var checksum = Checksum()
    private(set) var count = 0
    private(set) var chunks = 0

    init(log: ReceiverLog) { self.log = log }

    deinit { log.noteReleased(count: count) }

    func receive(_ bytes: UnsafeRawBufferPointer) {
        checksum.add(bytes.assumingMemoryBound(to: UInt8.self))
        count += bytes.count
        chunks += 1
        log.noteReceived(count: count)
    }

    var hex: String { checksum.hex }
}

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
