import CPostgreSQL
import Foundation

/// A libpq connection string (`postgresql://psyx@db1/psyx`, `postgres://…` or `host=db1 dbname=psyx`),
/// checked by libpq's own parser. A password inside it is refused: passwords come only through libpq's
/// own means (`PGPASSFILE`, `~/.pgpass`, `PGPASSWORD`), never a command line or a setting that gets
/// printed. Nothing here prints the raw text: `description` is rebuilt from the parsed parameters, and
/// libpq's messages pass through `scrub` before they reach an error.
public struct PostgreSQLConnectionInfo: Sendable, Equatable, CustomStringConvertible {
    /// The text as given, handed to libpq only.
    let text: String
    /// The parameters libpq read from it (keyword, value), in libpq's order.
    let parameters: [(keyword: String, value: String)]

    public static func == (left: Self, right: Self) -> Bool { left.text == right.text }

    init(_ text: String) throws(PostgreSQLError) {
        let secrets = Self.secretLookingParts(of: text)
        var errorText: UnsafeMutablePointer<CChar>?
        guard let options = PQconninfoParse(text, &errorText) else {
            let message = PostgreSQLError.libpqMessage(errorText) ?? "out of memory"
            PQfreemem(errorText)
            throw PostgreSQLError(.connectFailed, message: "invalid connection string: "
                                  + Self.scrub(message, removing: secrets))
        }
        defer { PQconninfoFree(options) }
        var parameters: [(keyword: String, value: String)] = []
        var option = options
        while let keyword = option.pointee.keyword {
            if let value = option.pointee.val {
                parameters.append((String(cString: keyword), String(cString: value)))
            }
            option += 1
        }
        if parameters.contains(where: { $0.keyword == "password" }) {
            throw PostgreSQLError(.connectFailed, message: "the connection string carries a password; "
                                  + "give it through PGPASSFILE, ~/.pgpass or PGPASSWORD instead (libpq reads them itself)")
        }
        self.text = text
        self.parameters = parameters
    }

    func value(_ keyword: String) -> String? {
        parameters.last { $0.keyword == keyword }?.value
    }

    /// Parameters whose values are secrets even though libpq accepts them in the string (the client
    /// key's passphrase): shown as `***`.
    static let secretKeywords: Set<String> = ["sslpassword"]

    /// `key=value` form of the parsed parameters, for logs and messages (no password can be in them).
    public var description: String {
        parameters.map { "\($0.keyword)=\(Self.secretKeywords.contains($0.keyword) ? "***" : Self.quoted($0.value))" }
            .joined(separator: " ")
    }

    /// The same connection with `changes` set (a later keyword wins in libpq), in `key=value` form:
    /// how tests point a store at their own schema (`options=-c search_path=…`).
    func with(_ changes: [(keyword: String, value: String)]) throws(PostgreSQLError) -> PostgreSQLConnectionInfo {
        let kept = parameters.filter { parameter in !changes.contains { $0.keyword == parameter.keyword } }
        return try PostgreSQLConnectionInfo((kept + changes).map { "\($0.keyword)=\(Self.quoted($0.value))" }
            .joined(separator: " "))
    }

    /// A value as libpq's `key=value` syntax wants it: single-quoted, with `\` and `'` escaped.
    static func quoted(_ value: String) -> String {
        var quoted = "'"
        for character in value {
            if character == "\\" || character == "'" { quoted.append("\\") }
            quoted.append(character)
        }
        return quoted + "'"
    }

    /// Removes every occurrence of `secrets` from a libpq message.
    static func scrub(_ message: String, removing secrets: [String]) -> String {
        var message = message
        for secret in secrets where !secret.isEmpty {
            message = message.replacingOccurrences(of: secret, with: "***")
        }
        return message
    }

    /// What could be a password in text libpq failed to parse: a URI's `user:password@` part and any
    /// `password=` value. Crude on purpose — it only decides what to blank out of an error message.
    static func secretLookingParts(of text: String) -> [String] {
        var secrets: [String] = []
        if let scheme = text.range(of: "://") {
            let authority = text[scheme.upperBound...].prefix { $0 != "/" && $0 != "?" }
            if let at = authority.lastIndex(of: "@"), let colon = authority[..<at].firstIndex(of: ":") {
                secrets.append(String(authority[authority.index(after: colon)..<at]))
            }
        }
        var rest = Substring(text)
        while let found = rest.range(of: "password") {
            let afterKeyword = rest[found.upperBound...].drop { $0 == " " }
            guard afterKeyword.first == "=" else { rest = rest[found.upperBound...]; continue }
            let value = afterKeyword.dropFirst().drop { $0 == " " }.prefix { $0 != " " && $0 != "&" }
            secrets.append(String(value.hasPrefix("'") ? value.dropFirst() : value))
            rest = rest[found.upperBound...]
        }
        return secrets.sorted { $0.count > $1.count }
    }
}
