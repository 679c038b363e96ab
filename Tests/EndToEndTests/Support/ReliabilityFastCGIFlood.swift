#if canImport(Glibc)
import Glibc
#endif
import FastCGI
import Foundation

/// Many raw connections to the responder's socket at once, read with poll(2)
/// from one thread: what a web server with far more clients than the
/// responder's connection cap would open.
struct ReliabilityFastCGIFlood {
    let socketPath: String

    struct Outcome {
        /// The CGI status each connection was answered with, in opening order; 0 when it
        /// was closed without END_REQUEST or not answered before the deadline.
        var statuses: [Int]
        /// From the first connect to the last answer.
        var seconds: Double
        /// From the first connect to the last request written.
        var sendSeconds: Double
    }

    /// One request without KEEP_CONN: BEGIN_REQUEST, PARAMS, empty STDIN.
    static func requestBytes(_ params: [(name: String, value: String)]) -> [UInt8] {
        var out: [UInt8] = []
        RecordEncoder.append(Record(.beginRequest, requestID: 1, content: [0, 1, 0, 0, 0, 0, 0, 0]), to: &out)
        RecordEncoder.appendStream(.params, requestID: 1, bytes: NameValuePairs.encode(params), to: &out)
        RecordEncoder.appendEndOfStream(.params, requestID: 1, to: &out)
        RecordEncoder.appendEndOfStream(.stdin, requestID: 1, to: &out)
        return out
    }

    /// Opens `count` connections one after another, sends a whole request on each
    /// right away, then reads every answer (each connection is closed as soon as
    /// its END_REQUEST arrives, as a web server would).
    func run(count: Int, params: [(name: String, value: String)], deadline seconds: Double = 30) throws -> Outcome {
        let request = Self.requestBytes(params)
        let started = Date()
        var fds: [Int32] = []
        defer { for fd in fds where fd >= 0 { close(fd) } }
        for _ in 0..<count {
            let fd = try UnixSocket.connect(path: socketPath)
            fds.append(fd)
            try ReliabilityHTTP.send(fd, request)
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        }
        let sent = Date()
        var statuses = [Int](repeating: 0, count: count)
        var decoders = [RecordDecoder](repeating: RecordDecoder(), count: count)
        var outputs = [[UInt8]](repeating: [], count: count)
        var buffer = [UInt8](repeating: 0, count: 65536)
        let end = started.addingTimeInterval(seconds)
        var lastAnswer = started
        // One pollfd array for the whole run, compacted once per round: reading a thousand
        // sockets must cost the client little next to the responder.
        var polls = fds.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
        var owners = Array(0..<count)
        while !polls.isEmpty && Date() < end {
            let ready = poll(&polls, nfds_t(polls.count), 200)
            if ready <= 0 { continue }
            var finishedSlots = Set<Int>()
            for slot in polls.indices where polls[slot].revents != 0 {
                let index = owners[slot]
                let n = buffer.withUnsafeMutableBytes { read(fds[index], $0.baseAddress, $0.count) }
                if n < 0 && (errno == EAGAIN || errno == EINTR) { continue }
                var finished = n <= 0
                if n > 0 {
                    decoders[index].append(Array(buffer[0..<n]))
                    while let record = try? decoders[index].next() {
                        if record.kind == .stdout { outputs[index] += record.content }
                        if record.kind == .endRequest {
                            statuses[index] = FastCGIClient.reply(cgiOutput: outputs[index], appStatus: 0, protocolStatus: 0).status
                            finished = true
                        }
                    }
                }
                if finished {
                    close(fds[index])
                    fds[index] = -1
                    finishedSlots.insert(slot)
                    lastAnswer = Date()
                }
            }
            if !finishedSlots.isEmpty {
                let kept = polls.indices.filter { !finishedSlots.contains($0) }
                polls = kept.map { polls[$0] }
                owners = kept.map { owners[$0] }
            }
        }
        return Outcome(statuses: statuses, seconds: lastAnswer.timeIntervalSince(started),
                       sendSeconds: sent.timeIntervalSince(started))
    }

    /// A connection that takes a slot and keeps it: BEGIN_REQUEST and the start of
    /// its params, never the rest (the responder waits for them up to its read
    /// timeout). The caller closes it.
    func hold() throws -> Int32 {
        let fd = try UnixSocket.connect(path: socketPath)
        var out: [UInt8] = []
        RecordEncoder.append(Record(.beginRequest, requestID: 1, content: [0, 1, 0, 0, 0, 0, 0, 0]), to: &out)
        RecordEncoder.appendStream(.params, requestID: 1, bytes: NameValuePairs.encode([(name: "REQUEST_METHOD", value: "GET")]), to: &out)
        do { try ReliabilityHTTP.send(fd, out) } catch {
            close(fd)
            throw error
        }
        return fd
    }
}
