import FastCGI

/// Drives a `RequestAssembler` the way `Connection` does (finish after the end
/// or an abort) and checks every action against the protocol, from the records
/// alone rather than by re-implementing the state machine:
/// - `.start` only after a responder BEGIN_REQUEST for that id, once, with the
///   params its PARAMS records carried and the keep-connection flag it asked for;
///   `.refuse` in its place only when those params are over a limit;
/// - `.body` and `.end` only between `.start` (or `.refuse`) and the end of that request's STDIN,
///   the body being exactly its STDIN bytes;
/// - `.abort` only for the active request, after its END_REQUEST, with its keep-connection flag;
/// - `.write` is whole, valid records; GET_VALUES is answered only from the server's values;
/// - `.close` is the last action ever.
struct AssemblerChecker {
    static let serverValues = ["FCGI_MAX_CONNS": "256", "FCGI_MAX_REQS": "256", "FCGI_MPXS_CONNS": "0"]

    /// Small limits, so that the fuzzer reaches them.
    static let maxParamsBytes = 1024
    static let maxParamCount = 32
    private var assembler = RequestAssembler(
        serverValues: serverValues, limits: .init(maxParamsBytes: maxParamsBytes, maxParamCount: maxParamCount))
    /// The responder BEGIN_REQUEST taken while idle, and the PARAMS bytes sent for it since.
    private var begun: (id: UInt16, keep: Bool, params: [UInt8])?
    /// The request between `.start` and `.end`, with the STDIN bytes sent for it and the body passed on.
    private var started: (id: UInt16, stdin: [UInt8], body: [UInt8])?
    /// FCGI_KEEP_CONN of the BEGIN_REQUEST of the active request.
    private var keepActive = false
    private var closed = false

    mutating func receive(_ record: Record) {
        let wasIdle = assembler.isIdle
        let activeBefore = assembler.activeRequestID
        let actions = assembler.receive(record)
        if closed {
            require(actions.isEmpty, "actions after close")
            return
        }
        note(record, wasIdle: wasIdle)
        if record.requestID == 0, !actions.contains(where: { if case .close = $0 { true } else { false } }) {
            require(assembler.activeRequestID == activeBefore, "a management record changed the active request")
        }
        for (index, action) in actions.enumerated() {
            check(action, for: record, activeBefore: activeBefore, previous: index > 0 ? actions[index - 1] : nil)
            if case .close = action {
                require(index == actions.count - 1, "actions after .close")
            }
        }
    }

    /// Records what the peer sent that a later action must match.
    private mutating func note(_ record: Record, wasIdle: Bool) {
        switch record.kind {
        case .beginRequest where record.requestID != 0 && wasIdle && record.content.count >= 8
            && record.content[0] == 0 && record.content[1] == 1:
            begun = (record.requestID, record.content[2] & 1 != 0, [])
            keepActive = record.content[2] & 1 != 0
        case .params where begun?.id == record.requestID && started == nil:
            begun?.params.append(contentsOf: record.content)
        case .stdin where started?.id == record.requestID:
            started?.stdin.append(contentsOf: record.content)
        default:
            break
        }
    }

    private mutating func check(_ action: RequestAssembler.Action, for record: Record,
                                activeBefore: UInt16?, previous: RequestAssembler.Action?) {
        switch action {
        case .start(let head):
            guard let begin = begun else { return require(false, ".start without a BEGIN_REQUEST") }
            require(started == nil, "second .start for one BEGIN_REQUEST")
            require(record.kind == .params && record.content.isEmpty, ".start not on the empty PARAMS record")
            require(head.id == begin.id && record.requestID == begin.id, ".start for another request id")
            require(head.keepConnection == begin.keep, ".start lost the keep-connection flag")
            var expected: [String: String] = [:]
            for pair in (try? NameValuePairs.decode(begin.params)) ?? [] { expected[pair.name] = pair.value }
            require(head.params.dictionary == expected, ".start params differ from the PARAMS records")
            begun = nil
            started = (head.id, [], [])
        case .refuse(let head, let reason):
            guard let begin = begun else { return require(false, ".refuse without a BEGIN_REQUEST") }
            require(started == nil, ".refuse after .start for one BEGIN_REQUEST")
            require(record.kind == .params && record.content.isEmpty, ".refuse not on the empty PARAMS record")
            require(head.id == begin.id && record.requestID == begin.id, ".refuse for another request id")
            require(head.keepConnection == begin.keep, ".refuse lost the keep-connection flag")
            require(reason == .headersTooLarge, ".refuse for another reason than too large params")
            var tooMany = false
            do { _ = try NameValuePairs.decode(begin.params, maxCount: Self.maxParamCount) } catch { tooMany = error as? FastCGIError == .paramsTooLarge }
            require(begin.params.count > Self.maxParamsBytes || tooMany, ".refuse for params within the limits")
            require(head.params.count <= Self.maxParamCount, ".refuse kept more pairs than the limit")
            begun = nil
            started = (head.id, [], [])
        case .body(let bytes):
            require(started?.id == record.requestID && record.kind == .stdin, ".body outside a started request")
            require(!bytes.isEmpty && bytes == record.content, ".body is not the STDIN record's content")
            started?.body.append(contentsOf: bytes)
        case .end:
            guard let request = started else { return require(false, ".end without .start") }
            require(record.kind == .stdin && record.content.isEmpty && record.requestID == request.id,
                    ".end not on the request's empty STDIN record")
            require(request.body == request.stdin, "body differs from the STDIN stream")
            started = nil
            assembler.finishRequest()
            require(assembler.isIdle, "not idle after finishRequest")
        case .abort(let id, let keep):
            require(id == activeBefore && id == record.requestID && record.kind == .abortRequest,
                    ".abort for a request that was not active")
            require(keep == keepActive, ".abort lost the keep-connection flag")
            if case .write(let bytes) = previous {
                require(Self.endRequestID(bytes) == id, ".abort not preceded by its END_REQUEST")
            } else {
                require(false, ".abort not preceded by its END_REQUEST")
            }
            begun = nil
            started = nil
            assembler.finishRequest()
        case .write(let bytes):
            checkWrite(bytes, for: record)
        case .close:
            closed = true
            require(assembler.activeRequestID == nil && !assembler.isIdle, "closed assembler still has a request")
        }
    }

    private func checkWrite(_ bytes: [UInt8], for record: Record) {
        var decoder = RecordDecoder()
        decoder.append(bytes)
        var written: [Record] = []
        while let next = try? decoder.next() { written.append(next) }
        require(decoder.bufferedByteCount == 0 && written.count == 1, "a write is not exactly one whole record")
        guard let reply = written.first else { return }
        switch reply.kind {
        case .endRequest:
            require(reply.requestID == record.requestID && reply.content.count == 8, "END_REQUEST for another id")
        case .unknownType:
            require(reply.requestID == 0 && reply.content.first == record.type, "UNKNOWN_TYPE names another type")
        case .getValuesResult:
            require(record.kind == .getValues && record.requestID == 0, "GET_VALUES_RESULT without GET_VALUES")
            let pairs = (try? NameValuePairs.decode(reply.content)) ?? []
            require(pairs.allSatisfy { Self.serverValues[$0.name] == $0.value }, "GET_VALUES_RESULT with unknown values")
            require(Set(pairs.map(\.name)).count == pairs.count, "GET_VALUES_RESULT repeats a name")
        default:
            require(false, "wrote a record of type \(reply.type)")
        }
    }

    /// The request id of a lone END_REQUEST record, or nil.
    private static func endRequestID(_ bytes: [UInt8]) -> UInt16? {
        guard bytes.count == 16, bytes[1] == RecordType.endRequest.rawValue else { return nil }
        return UInt16(bytes[2]) << 8 | UInt16(bytes[3])
    }
}
