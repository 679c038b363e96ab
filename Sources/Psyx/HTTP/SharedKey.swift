import Foundation

/// A secret the deployment shares with the internal callers of a route (the relocation API), read
/// from a file the operator keeps out of the repository. It is compared in constant time and
/// never logged or shown.
public struct SharedKey: Sendable, Equatable {
    /// The request header that carries it (`HTTP_X_RELOCATION_KEY` as a FastCGI param).
    public static let header = "X-Relocation-Key"
    static let minimumLength = 16

    private let bytes: [UInt8]

    /// The key from `path`: its first line, trimmed; at least 16 printable ASCII characters.
    public init(file path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SettingsError("cannot read the relocation key file \(path)")
        }
        let line = String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline).first ?? ""
        try self.init(String(line).trimmingCharacters(in: .whitespaces))
    }

    init(_ text: String) throws {
        let bytes = Array(text.utf8)
        guard bytes.count >= Self.minimumLength, bytes.allSatisfy({ (0x21...0x7E).contains($0) }) else {
            throw SettingsError("the relocation key must be at least \(Self.minimumLength) printable characters without spaces")
        }
        self.bytes = bytes
    }

    /// Whether `presented` is the key; the time taken does not depend on where they differ.
    func matches(_ presented: String?) -> Bool {
        guard let presented else { return false }
        let other = Array(presented.utf8)
        var difference = UInt8(truncatingIfNeeded: other.count ^ bytes.count)
        for index in bytes.indices {
            difference |= bytes[index] ^ (index < other.count ? other[index] : 0)
        }
        return difference == 0
    }
}
