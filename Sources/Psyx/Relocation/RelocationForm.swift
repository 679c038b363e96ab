import FastCGI
import Foundation

/// The form fields of a relocation request (`cid=7&count=1964`), with the checks every field shares.
struct RelocationForm {
    /// The bodies are two short numbers; anything much longer is not a client of this API.
    static let maxBodyBytes = 64 * 1024

    let fields: [String: String]

    init(_ request: HTTPRequest) throws {
        let type = request.contentType.split(separator: ";").first.map {
            $0.trimmingCharacters(in: .whitespaces).lowercased()
        } ?? ""
        guard type.isEmpty || type == "application/x-www-form-urlencoded" else {
            throw APIError.badRequest("Expected an application/x-www-form-urlencoded body")
        }
        let bytes: [UInt8]
        do {
            bytes = try request.body.bytes(limit: Self.maxBodyBytes)
        } catch RequestBodyError.tooLarge {
            throw APIError.payloadTooLarge
        } catch {
            throw APIError.internalError(cause: "reading the request body: \(error)")
        }
        fields = FormURLEncoded.parse(bytes)
    }

    init(fields: [String: String]) {
        self.fields = fields
    }

    /// A non-negative integer field: digits only, at most `limit`.
    func number(_ name: String, atMost limit: Int64 = .max) throws(APIError) -> Int64 {
        guard let text = fields[name], !text.isEmpty else { throw .badRequest("Missing \(name)") }
        guard text.utf8.allSatisfy({ (0x30...0x39).contains($0) }), let value = Int64(text) else {
            throw .badRequest("Invalid \(name): \(Self.shortened(text))")
        }
        guard value <= limit else { throw .badRequest("Invalid \(name): \(Self.shortened(text)) (at most \(limit))") }
        return value
    }

    /// The value as the message shows it: at most 40 characters.
    static func shortened(_ text: String) -> String {
        text.count > 40 ? String(text.prefix(40)) + "…" : text
    }
}
