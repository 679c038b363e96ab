/// How a request's body is judged against what its CONTENT_LENGTH announced, and the answer
/// to a body collected: pure functions of what arrived.
extension Connection {
    /// Whether a body announced so fits the in-memory limit, read as `bodyMatches` reads it; nil
    /// for a CONTENT_LENGTH absent or empty, which may announce any size: what follows decides
    /// (`answersInline`).
    static func bodyStaysInMemory(declaredLength: String?, limit: Int) -> Bool? {
        switch declaredLength {
        case nil, ""?: nil
        case let text?: (Int(text) ?? 0) <= limit
        }
    }

    /// Whether a body of `count` bytes is the one CONTENT_LENGTH announced. Absent or empty: a
    /// length the web server did not know — Nginx passing a chunked body on while it arrives
    /// (`fastcgi_request_buffering off`) sends it empty, Apache's mod_proxy_fcgi leaves it out —
    /// so the STDIN stream's closing empty record is the body's end, under the same limits; a
    /// body cut short never gets that record, its connection drops instead. A value that is no
    /// number counts as 0, as it always has.
    static func bodyMatches(declaredLength: String?, count: Int) -> Bool {
        switch declaredLength {
        case nil, ""?: true
        case let text?: (Int(text) ?? 0) == count
        }
    }

    /// The responder's answer to a collected body, or its rejection; `request` holds the body meanwhile.
    static func answer(request: inout Request, body: Result<RequestBody, Rejection>, declaredLength: String?,
                               responder: any Responder) -> Response {
        switch body {
        case .failure(let reason):
            return responder.reject(request, because: reason)
        case .success(let body):
            guard bodyMatches(declaredLength: declaredLength, count: body.count) else {
                return responder.reject(request, because: .bodyLengthMismatch)
            }
            request.body = body
            return responder.respond(to: request)
        }
    }
}
