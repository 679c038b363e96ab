/// A file name that counts as a stimulus: `…NNNNN_ori.jpg` or `…NNNNN_inv.png` (any case).
public struct PairFileName: Equatable, Sendable {
    public enum Side: String, Sendable { case ori, inv }

    public var name: String
    /// The pair number NNNNN.
    public var number: Int
    public var side: Side

    /// Nil for files that do not count (`.DS_Store`, thumbnails, other names).
    public init?(_ name: String) {
        let lower = name.lowercased()
        let stem: Substring
        if lower.hasSuffix(".jpg") || lower.hasSuffix(".png") {
            stem = lower.dropLast(4)
        } else if lower.hasSuffix(".jpeg") {
            stem = lower.dropLast(5)
        } else {
            return nil
        }
        if stem.hasSuffix("_ori") {
            side = .ori
        } else if stem.hasSuffix("_inv") {
            side = .inv
        } else {
            return nil
        }
        let digits = stem.dropLast(4).suffix(5)
        guard digits.count == 5, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let number = Int(digits) else { return nil }
        self.name = name
        self.number = number
    }

    /// Safe as a single file name in the pack folder and as a URL path segment once encoded.
    public var isSafeFileName: Bool {
        !name.hasPrefix(".") && name.utf8.count <= 200
            && !name.unicodeScalars.contains { $0.value < 0x20 || $0 == "/" || $0 == "\\" || $0.value == 0x7F }
    }
}
