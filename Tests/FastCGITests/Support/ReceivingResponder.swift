import Foundation
@testable import FastCGI

/// A responder that takes bodies sent to `/receive` with a `ProbeReceiver` and
/// answers what the receiver saw: `count=N chunks=C fnv=H spooled=S`, where S is
/// whether a spool file existed while it answered. Everything else goes to `RecordingResponder`.
struct ReceivingResponder: Responder {
    let log: ReceiverLog
    let calls: CallLog
    let spoolDirectory: String

    func bodyReceiver(for request: Request) -> (any BodyReceiver)? {
        guard request[param: "REQUEST_URI"] == "/receive" else { return nil }
        log.noteCreated()
        return ProbeReceiver(log: log)
    }

    func respond(to request: Request) -> Response {
        guard let probe = request.body.receiver as? ProbeReceiver else {
            return RecordingResponder(log: calls).respond(to: request)
        }
        let unreadable: Bool
        do { try request.body.forEachChunk { _ in }; unreadable = false } catch { unreadable = error as? RequestBodyError == .alreadyReceived }
        let spooled = !((try? FileManager.default.contentsOfDirectory(atPath: spoolDirectory)) ?? []).isEmpty
        let line = "count=\(probe.count) body=\(request.body.count) chunks=\(probe.chunks) fnv=\(probe.hex) spooled=\(spooled) unreadable=\(unreadable)\n"
        return Response(status: 200, contentType: "text/plain; charset=utf-8", body: Array(line.utf8))
    }

    func reject(_ request: Request, because reason: Rejection) -> Response {
        RecordingResponder(log: calls).reject(request, because: reason)
    }
}
