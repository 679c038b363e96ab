import Foundation
import PsyxTestSupport

/// One row of the bad-input matrix: a request that the service must refuse with
/// 400 and exactly `message` (the sentence of its HTML page), changing nothing.
struct ExperimentBadInput {
    enum Request {
        /// `POST /api/admin/create`; `contentType` overrides the body's own.
        case upload(MultipartBody, contentType: String? = nil)
        /// An admin route: method and path with its query.
        case admin(String, String)
        /// A public POST with this object as JSON.
        case json(String, Any)
        /// A public POST with these bytes as the body (Content-Type application/json).
        case raw(String, [UInt8])
    }

    let label: String
    let request: Request
    let message: String

    init(_ label: String, _ request: Request, _ message: String) {
        self.label = label
        self.request = request
        self.message = message
    }

    func send(with client: ExperimentClient) throws -> HTTPResponse {
        switch request {
        case .upload(let body, let contentType): try client.upload(body, contentType: contentType)
        case .admin(let method, let path): try client.admin(method, path)
        case .json(let path, let object): try client.post(path, json: object)
        case .raw(let path, let bytes): try client.post(path, raw: bytes)
        }
    }

    // MARK: - Building requests

    /// A create body with exactly these text fields (in order) and `pairs` valid pairs;
    /// `closed: false` leaves out the final boundary.
    static func packBody(_ fields: [(String, String)], pairs: Int = 1, closed: Bool = true) -> MultipartBody {
        var body = MultipartBody()
        for (name, value) in fields { body.addField(name, value) }
        for name in PackFixture(name: "unused", pairs: pairs).fileNames {
            body.addFile(filename: "faces/" + name, content: TinyImages.jpeg)
        }
        if closed { body.close() }
        return body
    }

    /// The valid fields of a fresh pack (not overlapping the base pack) with one replaced or left out (nil).
    static func fields(_ name: String, _ value: String?) -> [(String, String)] {
        let valid = [("pack_name", "fresh"), ("sex", "1"), ("age_min", "40"), ("age_max", "49")]
        return valid.compactMap { field in
            guard field.0 == name else { return field }
            return value.map { (name, $0) }
        }
    }

    /// A start body: the valid details with one field replaced or removed (nil).
    static func start(_ key: String, _ value: Any?) -> Request {
        var body = ParticipantFixture(no: "2020000002").details
        body[key] = value
        return .json("/api/reply/start", body)
    }

    /// A valid submit for `pairs` by `participant`, then `change` applied to the whole body.
    static func submit(_ participant: ParticipantFixture, _ pairs: [[String]],
                       _ change: (inout [String: Any]) -> Void = { _ in }) -> Request {
        var body = participant.submit(packID: 1, pairs: pairs, submissionID: "matrix-\(UUID().uuidString.prefix(8))")
        change(&body)
        return .json("/api/reply/submit", body)
    }

    /// A valid submit whose answers get `change`.
    static func answers(_ participant: ParticipantFixture, _ pairs: [[String]],
                        _ change: (inout [[Any]]) -> Void) -> Request {
        submit(participant, pairs) { body in
            var answers = body["answers"] as? [[Any]] ?? []
            change(&answers)
            body["answers"] = answers
        }
    }
}
