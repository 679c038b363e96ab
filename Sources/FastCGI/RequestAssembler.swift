/// The responder side of one connection as a state machine: records in, actions out.
///
/// It turns BEGIN_REQUEST, PARAMS and STDIN into a request head, body chunks and
/// an end, answers the records it can answer on its own (management records,
/// requests it cannot take), and says when the peer broke the protocol. It does
/// no I/O, so every path is tested with plain records.
///
/// One request at a time: idle → params (after BEGIN_REQUEST) → body (after the
/// empty PARAMS record) → responding (after the empty STDIN record) → idle (after
/// `finishRequest()`). Once it has asked to close, it ignores everything.
public struct RequestAssembler: Sendable {
    /// What the connection must do after a record.
    public enum Action: Equatable, Sendable {
        /// Bytes to send now (GET_VALUES_RESULT, UNKNOWN_TYPE, END_REQUEST for a refused or aborted request).
        case write([UInt8])
        /// PARAMS complete: a request begins, its body follows.
        case start(RequestHead)
        /// PARAMS complete but over a limit (too many pairs or bytes): the request is refused with
        /// this reason once its body, which follows as usual and is dropped, has ended. The head
        /// holds the pairs within the limits, for the log. The connection stays usable.
        case refuse(RequestHead, Rejection)
        /// STDIN content of the current request, passed on as it comes (never accumulated here).
        case body([UInt8])
        /// STDIN ended: the request is complete, respond now.
        case end
        /// ABORT_REQUEST of the current request: drop it (its END_REQUEST is in a `.write` before this).
        case abort(requestID: UInt16, keepConnection: Bool)
        /// Protocol violation: close this connection.
        case close(FastCGIError)
    }

    enum State: Sendable {
        case idle
        /// `overflowed`: a PARAMS record would have passed `maxParamsBytes`; from then on they are dropped.
        case params(id: UInt16, keepConnection: Bool, bytes: [UInt8], overflowed: Bool)
        case body(id: UInt16)
        case responding(id: UInt16)
        case closed
    }

    let serverValues: [String: String]
    let limits: Limits
    var state: State = .idle
    /// FCGI_KEEP_CONN of the active request, which outlives its params phase.
    private var keepActiveConnection = false

    /// `serverValues` answers GET_VALUES, e.g.
    /// `["FCGI_MAX_CONNS": "256", "FCGI_MAX_REQS": "256", "FCGI_MPXS_CONNS": "0"]`.
    public init(serverValues: [String: String], limits: Limits = Limits()) {
        self.serverValues = serverValues
        self.limits = limits
    }

    /// Ready for the next BEGIN_REQUEST.
    public var isIdle: Bool {
        if case .idle = state { return true }
        return false
    }

    /// The id of the request in progress, if any.
    public var activeRequestID: UInt16? {
        switch state {
        case .params(let id, _, _, _), .body(let id), .responding(let id): id
        case .idle, .closed: nil
        }
    }

    public mutating func receive(_ record: Record) -> [Action] {
        if case .closed = state { return [] }
        if record.requestID == 0 { return receiveManagement(record) }
        switch record.kind {
        case .beginRequest: return receiveBegin(record)
        case .abortRequest: return receiveAbort(record)
        case .params: return receiveParams(record)
        case .stdin: return receiveStdin(record)
        case nil: return [.write(Self.unknownType(record.type))]
        // DATA belongs to the filter role; the others only ever travel from
        // application to web server, so a web server sending them is ignored.
        case .data, .endRequest, .stdout, .stderr, .getValues, .getValuesResult, .unknownType:
            return []
        }
    }

    /// The response to the current request has been written: back to idle,
    /// ready for the next BEGIN_REQUEST.
    public mutating func finishRequest() {
        if case .closed = state { return }
        state = .idle
    }

    private mutating func receiveBegin(_ record: Record) -> [Action] {
        let content = record.content
        guard content.count >= 8 else {
            return close(.malformedRecord("BEGIN_REQUEST body of \(content.count) bytes, expected 8"))
        }
        if let active = activeRequestID {
            if active == record.requestID {
                return close(.unexpectedRecord("BEGIN_REQUEST for request \(active), which is already active"))
            }
            return [.write(Self.endRequest(record.requestID, .cantMultiplexConnection))]
        }
        let role = UInt16(content[0]) << 8 | UInt16(content[1])
        guard role == Role.responder.rawValue else {
            return [.write(Self.endRequest(record.requestID, .unknownRole))]
        }
        let keepConnection = content[2] & Self.keepConnectionFlag != 0
        state = .params(id: record.requestID, keepConnection: keepConnection, bytes: [], overflowed: false)
        keepActiveConnection = keepConnection
        return []
    }

    private mutating func receiveAbort(_ record: Record) -> [Action] {
        guard activeRequestID == record.requestID else { return [] }
        state = .idle
        return [.write(Self.endRequest(record.requestID, .requestComplete)), .abort(requestID: record.requestID, keepConnection: keepActiveConnection)]
    }

    private mutating func receiveParams(_ record: Record) -> [Action] {
        switch state {
        case .params(let id, let keepConnection, var bytes, let overflowed) where id == record.requestID:
            if record.content.isEmpty {
                return startRequest(id: id, keepConnection: keepConnection, paramsBytes: bytes, overflowed: overflowed)
            }
            guard !overflowed else { return [] }
            guard record.content.count <= limits.maxParamsBytes - bytes.count else {
                state = .params(id: id, keepConnection: keepConnection, bytes: bytes, overflowed: true)
                return []
            }
            state = .idle // release `bytes` so appending does not copy them
            bytes.append(contentsOf: record.content)
            state = .params(id: id, keepConnection: keepConnection, bytes: bytes, overflowed: false)
            return []
        case .body(let id) where id == record.requestID, .responding(let id) where id == record.requestID:
            return close(.unexpectedRecord("PARAMS for request \(id) after its params ended"))
        default:
            return []
        }
    }

    /// Too many pairs or bytes is the request's fault, answered (431) on a connection that goes on;
    /// pairs that do not decode are the peer's, and end the connection.
    private mutating func startRequest(id: UInt16, keepConnection: Bool, paramsBytes: [UInt8], overflowed: Bool) -> [Action] {
        let params: Params
        do {
            guard !overflowed else { throw FastCGIError.paramsTooLarge }
            params = try NameValuePairs.decodeParams(paramsBytes, maxCount: limits.maxParamCount)
        } catch FastCGIError.paramsTooLarge {
            state = .body(id: id)
            let leading = NameValuePairs.leadingParams(paramsBytes, maxCount: limits.maxParamCount)
            return [.refuse(RequestHead(id: id, params: leading, keepConnection: keepConnection), .headersTooLarge)]
        } catch let error as FastCGIError {
            return close(error)
        } catch {
            return close(.malformedNameValuePairs)
        }
        state = .body(id: id)
        return [.start(RequestHead(id: id, params: params, keepConnection: keepConnection))]
    }

    private mutating func receiveStdin(_ record: Record) -> [Action] {
        switch state {
        case .params(let id, _, _, _) where id == record.requestID:
            return close(.unexpectedRecord("STDIN for request \(id) before its params ended"))
        case .body(let id) where id == record.requestID:
            if record.content.isEmpty {
                state = .responding(id: id)
                return [.end]
            }
            return [.body(record.content)]
        case .responding(let id) where id == record.requestID:
            return close(.unexpectedRecord("STDIN for request \(id) after its body ended"))
        default:
            return []
        }
    }

    private mutating func close(_ error: FastCGIError) -> [Action] {
        state = .closed
        return [.close(error)]
    }

    /// FCGI_KEEP_CONN in the flags of BEGIN_REQUEST.
    static let keepConnectionFlag: UInt8 = 1

    static func endRequest(_ id: UInt16, _ status: ProtocolStatus) -> [UInt8] {
        var bytes: [UInt8] = []
        RecordEncoder.appendEndRequest(requestID: id, appStatus: 0, protocolStatus: status, to: &bytes)
        return bytes
    }

    static func unknownType(_ type: UInt8) -> [UInt8] {
        var bytes: [UInt8] = []
        RecordEncoder.append(Record(.unknownType, requestID: 0, content: [type, 0, 0, 0, 0, 0, 0, 0]), to: &bytes)
        return bytes
    }
}
