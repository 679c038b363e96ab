@testable import FastCGI

/// Whole requests as a web server writes them, built from `Send`'s records.
enum Wire {
    static func encode(_ records: [Record]) -> [UInt8] {
        var bytes: [UInt8] = []
        for record in records { RecordEncoder.append(record, to: &bytes) }
        return bytes
    }

    /// BEGIN_REQUEST and the whole PARAMS stream.
    static func head(_ id: UInt16, keep: Bool, params: [(name: String, value: String)]) -> [Record] {
        [Send.begin(id, flags: keep ? 1 : 0), Send.params(id, params), Send.endParams(id)]
    }

    /// STDIN records of at most 65535 bytes and the empty one that ends the stream.
    static func body(_ id: UInt16, _ bytes: [UInt8], end: Bool = true) -> [UInt8] {
        var out: [UInt8] = []
        RecordEncoder.appendStream(.stdin, requestID: id, bytes: bytes, to: &out)
        if end { RecordEncoder.appendEndOfStream(.stdin, requestID: id, to: &out) }
        return out
    }

    /// A complete request: head, body with its CONTENT_LENGTH (unless told otherwise), end of STDIN.
    static func request(_ id: UInt16 = 1, keep: Bool = false, method: String = "POST", uri: String = "/echo",
                        body: [UInt8] = [], contentLength: String?? = .none, extra: [(name: String, value: String)] = []) -> [UInt8] {
        encode(head(id, keep: keep, params: params(method: method, uri: uri, body: body, contentLength: contentLength) + extra))
            + self.body(id, body)
    }

    /// CGI params as Nginx sends them; `contentLength` `.none` means the body's true length,
    /// `.some(nil)` means no CONTENT_LENGTH at all.
    static func params(method: String, uri: String, body: [UInt8], contentLength: String?? = .none) -> [(name: String, value: String)] {
        var params: [(name: String, value: String)] = [("REQUEST_METHOD", method), ("REQUEST_URI", uri), ("SCRIPT_NAME", uri)]
        switch contentLength {
        case .none: params.append(("CONTENT_LENGTH", String(body.count)))
        case .some(.some(let text)): params.append(("CONTENT_LENGTH", text))
        case .some(.none): break
        }
        return params
    }
}
