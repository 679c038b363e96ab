import Foundation

/// A pack's completion URL (PackSettings.md): `http(s)://…` with placeholders `{PROLIFIC_PID}` …
/// `{pid}` that the completion route fills with the reply's recruitment IDs, URL-encoded.
enum CompletionLink {
    static let maxBytes = 2_000

    /// Empty, or an `http://`/`https://` URL of at most 2,000 bytes with a host, no whitespace or
    /// control characters, and braces only around known placeholders.
    static func isValid(_ raw: String) -> Bool {
        if raw.isEmpty { return true }
        guard raw.utf8.count <= maxBytes else { return false }
        let lower = raw.lowercased()
        guard let scheme = ["https://", "http://"].first(where: { lower.hasPrefix($0) }) else { return false }
        let rest = raw.dropFirst(scheme.count)
        guard let first = rest.first, first != "/", first != "{" else { return false }
        guard !raw.unicodeScalars.contains(where: { $0.properties.isWhitespace || PackSettingsChange.isControl($0) }) else {
            return false
        }
        return pieces(raw) != nil
    }

    /// The URL with every placeholder replaced by the ID (percent-encoded; empty when absent).
    static func filled(_ url: String, with ids: RecruitmentIDs) -> String {
        guard let pieces = pieces(url) else { return url }
        return pieces.map { piece in
            switch piece {
            case .text(let text): text
            case .placeholder(let key): (ids[key] ?? "").addingPercentEncoding(withAllowedCharacters: unreserved) ?? ""
            }
        }.joined()
    }

    private enum Piece {
        case text(String)
        case placeholder(String)
    }

    private static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    /// Text and placeholders; nil when a brace is unmatched or names no known ID.
    private static func pieces(_ url: String) -> [Piece]? {
        var pieces: [Piece] = []
        var rest = Substring(url)
        while let open = rest.firstIndex(where: { $0 == "{" || $0 == "}" }) {
            guard rest[open] == "{", let close = rest[open...].firstIndex(of: "}") else { return nil }
            let key = String(rest[rest.index(after: open)..<close])
            guard RecruitmentIDs.keys.contains(key) else { return nil }
            pieces.append(.text(String(rest[..<open])))
            pieces.append(.placeholder(key))
            rest = rest[rest.index(after: close)...]
        }
        pieces.append(.text(String(rest)))
        return pieces
    }
}
