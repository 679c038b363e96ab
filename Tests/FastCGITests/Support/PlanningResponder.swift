import Synchronization
@testable import FastCGI

/// A `RecordingResponder` with plans: `/small` takes bodies of at most `smallLimit` bytes,
/// `/large` up to a TiB (more than any server allows), `/decided` is answered 404 from its params alone; it counts how often it was asked.
final class PlanningResponder: Responder {
    static let smallLimit = 500
    static let decidedAnswer = "Status: 404 Not Found\r\nContent-Type: text/plain\r\n\r\ndecided\n"

    let recording: RecordingResponder
    private let asked = Mutex<[String]>([])

    init(log: CallLog) { recording = RecordingResponder(log: log) }

    /// The REQUEST_URI of every plan asked, in order.
    var plansAsked: [String] { asked.withLock { $0 } }

    func plan(for request: Request) -> RequestPlan {
        let uri = request[param: "REQUEST_URI"] ?? ""
        asked.withLock { $0.append(uri) }
        switch uri {
        case "/small": return RequestPlan(answersInline: true, maxBodyBytes: Self.smallLimit)
        case "/large": return RequestPlan(answersInline: true, maxBodyBytes: 1 << 40)
        case "/decided": return RequestPlan(answer: Response(status: 404, contentType: "text/plain", body: Array("decided\n".utf8)))
        default: return RequestPlan(answersInline: recording.answersInline(request))
        }
    }

    func respond(to request: Request) -> Response { recording.respond(to: request) }

    func reject(_ request: Request, because reason: Rejection) -> Response { recording.reject(request, because: reason) }
}
