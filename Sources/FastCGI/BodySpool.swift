#if canImport(Glibc)
import Glibc
#endif

/// Collects one request's STDIN: in memory while small, then in a file, so
/// that no body sits whole in memory; or hands it to the responder's
/// `BodyReceiver` as it arrives, still counted against the limit.
/// Lives on its connection's thread only.
final class BodySpool {
    struct Limits {
        var memoryLimit: Int
        var maxBytes: Int
        var directory: String
    }

    private let limits: Limits
    private var memory: [UInt8] = []
    private var fd: Int32 = -1
    private var pending: [UInt8] = []
    private(set) var path: String?
    /// Takes the bytes instead of memory or the file; released as soon as the body is refused.
    var receiver: (any BodyReceiver)?
    private(set) var count = 0
    /// Set once the body can no longer be accepted; later bytes are dropped.
    private(set) var failure: Rejection?

    /// `refusal`: the request is refused already (its head was too large); its body is only counted.
    init(limits: Limits, declaredLength: Int?, refusal: Rejection? = nil) {
        self.limits = limits
        failure = refusal
        if failure == nil, let declared = declaredLength, declared > limits.maxBytes { failure = .bodyTooLarge }
    }

    deinit { discard() }

    func append(_ bytes: [UInt8]) {
        let (total, overflow) = count.addingReportingOverflow(bytes.count)
        count = overflow ? Int.max : total
        guard failure == nil else { return }
        if count > limits.maxBytes {
            fail(.bodyTooLarge)
            return
        }
        if let receiver {
            bytes.withUnsafeBytes { receiver.receive($0) }
            return
        }
        if fd < 0 && count <= limits.memoryLimit {
            memory.append(contentsOf: bytes)
            return
        }
        if fd < 0 && !openFile() { return }
        pending.append(contentsOf: bytes)
        if pending.count >= 256 * 1024 { flush() }
    }

    /// The finished body, or why it was refused.
    func finish() -> Result<RequestBody, Rejection> {
        if let failure { return .failure(failure) }
        if let receiver {
            self.receiver = nil
            return .success(RequestBody(receivedBy: receiver, count: count))
        }
        guard let path else { return .success(RequestBody(memory)) }
        flush()
        if let failure { return .failure(failure) }
        close(fd)
        fd = -1
        return .success(RequestBody(spooledAt: path, count: count))
    }

    /// Frees the memory and removes the file, if any; drops a receiver that has not finished.
    func discard() {
        receiver = nil
        if fd >= 0 { close(fd); fd = -1 }
        if let path { unlink(path); self.path = nil }
        memory = []
        pending = []
    }

    private func fail(_ reason: Rejection) {
        failure = reason
        let keepCount = count
        discard()
        count = keepCount
    }

    private func openFile() -> Bool {
        var template = Array("\(limits.directory)/body-XXXXXX".utf8CString)
        let newFD = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard newFD >= 0 else {
            fail(.spoolFailed)
            return false
        }
        fd = newFD
        path = String(cString: template)
        pending.reserveCapacity(256 * 1024 + 65536)
        pending.append(contentsOf: memory)
        memory = []
        return true
    }

    private func flush() {
        guard fd >= 0, !pending.isEmpty else { return }
        let ok = pending.withUnsafeBytes { FileDescriptorIO.writeAll(fd, $0) }
        pending.removeAll(keepingCapacity: true)
        if !ok { fail(.spoolFailed) }
    }
}
