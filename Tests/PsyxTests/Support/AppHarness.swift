import FastCGI
import Foundation
@testable import Psyx

/// A real Application on a temporary data directory, called through its responder (no sockets).
final class AppHarness {
    let directory: String
    let application: Application
    let responder: PsyxResponder

    struct Answer {
        var status: Int
        var headers: [(name: String, value: String)]
        var body: [UInt8]
        var text: String { String(decoding: body, as: UTF8.self) }
        func header(_ name: String) -> String? { headers.first { $0.name.lowercased() == name.lowercased() }?.value }
        /// The sentence of a policy HTML page.
        var sentence: String {
            guard let start = text.range(of: "<p>"), let end = text.range(of: "</p>") else { return text }
            return String(text[start.upperBound..<end.lowerBound])
        }
        func json() throws -> Any { try JSONSerialization.jsonObject(with: Data(body)) }
    }

    /// The relocation API's shared key this harness's psyx is configured with.
    static let relocationKey = "harness-relocation-key-0123"

    /// A new temporary data directory, or `directory` as it is (a restored backup, say);
    /// `arguments` adds settings (`--database …`).
    init(packSize: Int = 3, directory existing: String? = nil, arguments: [String] = []) throws {
        directory = existing ?? NSTemporaryDirectory() + "psyx-app-" + UUID().uuidString
        try Data((Self.relocationKey + "\n").utf8).write(to: URL(fileURLWithPath: directory + ".key"))
        let (settings, _) = try Settings.parse(["--data", directory, "--pack-size", String(packSize),
                                                "--relocation-key-file", directory + ".key"] + arguments, environment: [:])
        application = try Application(settings: settings)
        responder = application.makeResponder()
    }

    deinit {
        try? FileManager.default.removeItem(atPath: directory)
        try? FileManager.default.removeItem(atPath: directory + ".key")
    }

    func call(_ method: String, _ path: String, query: String = "", body: [UInt8] = [], contentType: String = "",
              user: String? = "admin", headers: [String: String] = [:]) -> Answer {
        var params = ["REQUEST_METHOD": method, "DOCUMENT_URI": path, "REQUEST_URI": path, "QUERY_STRING": query,
                      "CONTENT_LENGTH": body.isEmpty ? "" : String(body.count), "CONTENT_TYPE": contentType,
                      "REMOTE_ADDR": "127.0.0.1"]
        if let user { params["REMOTE_USER"] = user }
        for (name, value) in headers { params["HTTP_" + name.uppercased().replacingOccurrences(of: "-", with: "_")] = value }
        let response = responder.respond(to: Request(params: Params(params), body: RequestBody(body))).resolved
        let sink = CollectingSink()
        switch response.body {
        case .bytes(let bytes): sink.bytes = bytes
        case .stream(let produce): try? produce(sink)
        case .deferred: break  // resolved above
        }
        return Answer(status: response.status, headers: response.headers, body: sink.bytes)
    }

    func json(_ method: String, _ path: String, _ object: Any) -> Answer {
        let data = (try? JSONSerialization.data(withJSONObject: object)) ?? Data()
        return call(method, path, body: Array(data), contentType: "application/json", user: nil)
    }

    func upload(_ fixture: PackFixtureBody) -> Answer {
        call("POST", "/api/admin/create", body: fixture.bytes, contentType: fixture.contentType)
    }

    /// Pack folders and staging leftovers, to prove a refused request changed nothing.
    var packFolders: [String] { ((try? FileManager.default.contentsOfDirectory(atPath: directory + "/packs")) ?? []).sorted() }
    var stagingEntries: [String] { (try? FileManager.default.contentsOfDirectory(atPath: directory + "/staging")) ?? [] }
}

/// What `upload` needs of a multipart body.
protocol PackFixtureBody {
    var bytes: [UInt8] { get }
    var contentType: String { get }
}

final class CollectingSink: BodySink {
    var bytes: [UInt8] = []
    func write(_ chunk: UnsafeRawBufferPointer) throws { bytes.append(contentsOf: chunk) }
}
