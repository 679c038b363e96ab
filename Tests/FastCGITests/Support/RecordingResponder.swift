import Foundation
#if canImport(Glibc)
import Glibc
#endif
@testable import FastCGI

/// A responder that writes down every call and answers with what it received:
/// `/echo` (and anything else) describes the request in one text line, `/stream`
/// streams `StreamedBody` piece by piece, `/bytes` answers as many bytes held in memory,
/// `/broken-stream` fails after 70 000 bytes, `/deferred` is made by a worker and names its thread, `/slow` waits for the test's signal. Every request but `/slow` may be answered
/// on the event loop unless `inline` is false (then every one is handed to a worker).
struct RecordingResponder: Responder {
    let log: CallLog
    var inline = true

    func answersInline(_ request: Request) -> Bool {
        inline && request[param: "REQUEST_URI"] != "/slow"
    }

    func respond(to request: Request) -> Response {
        var checksum = Checksum()
        let place: CallLog.BodyPlace
        do {
            try request.body.forEachChunk { checksum.add($0) }
            switch request.body.storage {
            case .memory: place = .memory
            case .file(let path): place = .file(path: path, existed: access(path, F_OK) == 0)
            case .received: place = .unreadable
            }
        } catch {
            place = .unreadable
        }
        log.append(.respond(params: request.params.dictionary, count: request.body.count, checksum: checksum.hex, storage: place))
        let uri = request[param: "REQUEST_URI"] ?? ""
        switch uri {
        case "/stream":
            return Response(status: 200, headers: [("Content-Type", "application/octet-stream")], body: .stream(StreamedBody.write))
        case "/bytes":
            return Response(status: 200, headers: [("Content-Type", "application/octet-stream")],
                            body: .bytes(Pattern.bytes(StreamedBody.count)))
        case "/broken-stream":
            return Response(status: 200, body: .stream { sink in
                try sink.write(Pattern.bytes(70_000))
                throw BrokenStream()
            })
        case "/deferred":
            // Made where it is sent: the thread's name is the answer.
            return .deferred { Response(status: 200, contentType: "text/plain", body: Array((Thread.current.name ?? "").utf8)) }
        case "/slow":
            log.slowEntered.signal()
            log.slowGate.wait()
        default:
            break
        }
        let line = "\(request[param: "REQUEST_METHOD"] ?? "-") \(uri) id=\(request.id) keep=\(request.keepConnection) count=\(request.body.count) fnv=\(checksum.hex)\n"
        return Response(status: 200, contentType: "text/plain; charset=utf-8", body: Array(line.utf8))
    }

    func reject(_ request: Request, because reason: Rejection) -> Response {
        log.append(.reject(reason, params: request.params.dictionary))
        return DefaultRejections().reject(request, because: reason)
    }

    /// The line `/echo` answers for a body, to compare whole STDOUT bytes.
    static func echoLine(method: String = "POST", uri: String = "/echo", id: UInt16 = 1, keep: Bool, body: [UInt8]) -> String {
        "\(method) \(uri) id=\(id) keep=\(keep) count=\(body.count) fnv=\(Checksum.of(body))\n"
    }
}

struct BrokenStream: Error {}
