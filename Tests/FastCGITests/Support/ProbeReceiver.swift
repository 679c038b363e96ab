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
