/// `SHA256SUMS` in a backup folder: one line per file, `<sha256 hex>  <relative path>`, sorted by path,
/// the format `sha256sum -c SHA256SUMS` checks. The manifest does not list itself.
struct BackupManifest: Equatable {
    static let fileName = "SHA256SUMS"

    struct Entry: Equatable {
        var path: String
        var sha256: String
    }

    private(set) var entries: [Entry] = []

    init() {}

    mutating func add(_ path: String, sha256: String) {
        entries.append(Entry(path: path, sha256: sha256))
    }

    /// The file's text. Names needing sha256sum's backslash escapes are refused when added to a
    /// backup (`BackupLayout.check`), so every line is plain.
    var text: String {
        entries.sorted { $0.path < $1.path }.map { "\($0.sha256)  \($0.path)\n" }.joined()
    }

    /// Reads a manifest, refusing anything but plain lines of a hash and a safe path, each path once.
    init(parsing text: String) throws(BackupError) {
        guard !text.isEmpty else { throw .refused("\(Self.fileName) is empty") }
        guard text.hasSuffix("\n") else { throw .refused("\(Self.fileName) does not end with a line break: is it cut short?") }
        var seen = Set<String>()
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().enumerated() {
            let place = "\(Self.fileName) line \(index + 1)"
            let bytes = Array(line.utf8)
            guard bytes.first != UInt8(ascii: "\\") else {
                throw .refused("\(place) uses sha256sum's escaped form, which psyx backups never write")
            }
            guard bytes.count > 66, bytes[64] == UInt8(ascii: " "),
                  bytes[65] == UInt8(ascii: " ") || bytes[65] == UInt8(ascii: "*") else {
                throw .refused("\(place) is not `<sha256>  <path>`")
            }
            let hash = String(decoding: bytes[0..<64], as: UTF8.self)
            guard hash.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }) else {
                throw .refused("\(place): \(hash) is not a lower-case SHA-256 hex digest")
            }
            let path = String(decoding: bytes[66...], as: UTF8.self)
            try BackupLayout.checkSafe(path, where: place)
            guard seen.insert(path).inserted else { throw .refused("\(place): \(path) is listed twice") }
            entries.append(Entry(path: path, sha256: hash))
        }
    }
}
