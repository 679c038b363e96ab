import FastCGI
@testable import Psyx

extension AppHarness {
    /// The params `call` would send for an upload, as the connection sees them before the body.
    func uploadRequest(_ fixture: PackFixtureBody, user: String? = "admin", headers: [String: String] = [:]) -> Request {
        var params = ["REQUEST_METHOD": "POST", "DOCUMENT_URI": "/api/admin/create", "REQUEST_URI": "/api/admin/create",
                      "CONTENT_LENGTH": String(fixture.bytes.count), "CONTENT_TYPE": fixture.contentType,
                      "REMOTE_ADDR": "127.0.0.1"]
        if let user { params["REMOTE_USER"] = user }
        for (name, value) in headers { params["HTTP_" + name.uppercased().replacingOccurrences(of: "-", with: "_")] = value }
        return Request(params: Params(params))
    }

    /// An upload the way the FastCGI connection runs it when the route takes the body as it
    /// arrives: the responder's receiver fed `chunkSize` bytes at a time, then `respond`.
    /// Nil when the responder offered no receiver.
    func streamedUpload(_ fixture: PackFixtureBody, chunkSize: Int) -> Answer? {
        var request = uploadRequest(fixture)
        guard let receiver = responder.bodyReceiver(for: request) else { return nil }
        let bytes = fixture.bytes
        var start = 0
        while start < bytes.count {
            let end = min(start + chunkSize, bytes.count)
            bytes[start..<end].withUnsafeBytes { receiver.receive($0) }
            start = end
        }
        request.body = RequestBody(receivedBy: receiver, count: bytes.count)
        return answer(responder.respond(to: request))
    }

    func answer(_ response: Response) -> Answer {
        let response = response.resolved
        let sink = CollectingSink()
        switch response.body {
        case .bytes(let bytes): sink.bytes = bytes
        case .stream(let produce): try? produce(sink)
        case .deferred: break  // resolved above
        }
        return Answer(status: response.status, headers: response.headers, body: sink.bytes)
    }
}
