import FastCGI
import Foundation

/// Changing a pack's settings (admin, PackSettings.md): the fields sent change, the others stay.
extension ExperimentRoutes {
    /// The form may carry a consent text of 20,000 bytes, percent-encoded up to nine bytes a character.
    static let maxSettingsBody = 256 * 1024

    /// `POST /api/admin/settings` (form-urlencoded: `id` and any settings field) → `Pack 7 Updated.`;
    /// unknown pack `Unknown Pack 7`; a bad field its own 400; a frozen field changed on a pack with
    /// replies `Pack Has Replies`. Any refusal changes nothing.
    func setSettings(_ request: HTTPRequest) throws -> Response {
        let fields = try Self.formFields(request, limit: Self.maxSettingsBody).merging(request.query) { fromBody, _ in fromBody }
        let raw = fields["id"] ?? ""
        guard let id = Int64(raw), id > 0 else { throw APIError.badRequest(Self.sentence("Unknown Pack", raw)) }
        let change = try PackSettingsChange(fields: fields)
        let changed: PackSummary?
        do {
            changed = try store.setPackSettings(id: id, change)
        } catch StoreError.packHasReplies {
            throw APIError.badRequest("Pack Has Replies")
        }
        guard changed != nil else { throw APIError.badRequest(Self.sentence("Unknown Pack", raw)) }
        return .text("Pack \(id) Updated.")
    }

    /// An `application/x-www-form-urlencoded` body's fields (any other type: 400).
    static func formFields(_ request: HTTPRequest, limit: Int) throws -> [String: String] {
        let type = request.contentType.split(separator: ";").first.map {
            $0.trimmingCharacters(in: .whitespaces).lowercased()
        } ?? ""
        guard type.isEmpty || type == "application/x-www-form-urlencoded" else {
            throw APIError.badRequest("Expected an application/x-www-form-urlencoded body")
        }
        do {
            return FormURLEncoded.parse(try request.body.bytes(limit: limit))
        } catch RequestBodyError.tooLarge {
            throw APIError.payloadTooLarge
        } catch {
            throw APIError.internalError(cause: "reading the request body: \(error)")
        }
    }
}
