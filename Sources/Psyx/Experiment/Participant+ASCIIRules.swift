/// The rules of `Participant+Rules` for text that is all ASCII — nearly every email,
/// phone and experiment number — and for names written in Hangul syllables only (most
/// participants' names), checked byte by byte. They decide exactly as the
/// general rules do (a differential test holds them to it); text with any other
/// character goes to the general rules, which know every script.
extension Participant {
    /// The bytes of `text` without leading and trailing ASCII whitespace (what
    /// `.whitespacesAndNewlines` trims from ASCII text), or nil when any byte is not ASCII.
    static func asciiTrimmed(_ text: String) -> ArraySlice<UInt8>? {
        let bytes = Array(text.utf8)
        guard !bytes.contains(where: { $0 >= 0x80 }) else { return nil }
        let isSpace = { (byte: UInt8) in byte == 0x20 || (0x09...0x0D).contains(byte) }
        guard let first = bytes.firstIndex(where: { !isSpace($0) }), let last = bytes.lastIndex(where: { !isSpace($0) }) else {
            return bytes[0..<0]
        }
        return bytes[first...last]
    }

    /// 2–64 precomposed Hangul syllables (U+AC00–U+D7A3) and nothing else: a name the general
    /// rule accepts unchanged (each syllable is one letter and one character, already NFC).
    static func isHangulSyllables(_ text: String) -> Bool {
        let utf8 = text.utf8
        guard utf8.count.isMultiple(of: 3), (6...192).contains(utf8.count) else { return false }
        var index = utf8.startIndex
        while index != utf8.endIndex {
            let first = UInt32(utf8[index])
            let second = UInt32(utf8[utf8.index(after: index)])
            let third = UInt32(utf8[utf8.index(index, offsetBy: 2)])
            guard first & 0xF0 == 0xE0, second & 0xC0 == 0x80, third & 0xC0 == 0x80 else { return false }
            let scalar = (first & 0x0F) << 12 | (second & 0x3F) << 6 | (third & 0x3F)
            guard (0xAC00...0xD7A3).contains(scalar) else { return false }
            index = utf8.index(index, offsetBy: 3)
        }
        return true
    }

    /// `normalizedEmail` on trimmed ASCII bytes. A byte count under 48 stands in for the
    /// character count: they differ only for a CR LF pair, which no valid address has.
    static func isASCIIEmail(_ email: ArraySlice<UInt8>) -> Bool {
        guard email.count < 48 else { return false }
        let parts = email.split(separator: UInt8(ascii: "@"), omittingEmptySubsequences: false)
        guard parts.count == 2 else { return false }
        return isASCIIEmailLocalPart(parts[0]) && isASCIIEmailDomain(parts[1])
    }

    private static func isASCIIEmailLocalPart(_ local: ArraySlice<UInt8>) -> Bool {
        let dot = UInt8(ascii: ".")
        guard (1...64).contains(local.count), local.first != dot, local.last != dot else { return false }
        var previous: UInt8 = 0
        for byte in local {
            guard isASCIIAlphanumeric(byte) || emailLocalSymbols.contains(byte), !(byte == dot && previous == dot) else {
                return false
            }
            previous = byte
        }
        return true
    }

    private static func isASCIIEmailDomain(_ domain: ArraySlice<UInt8>) -> Bool {
        let hyphen = UInt8(ascii: "-")
        let labels = domain.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard labels.count >= 2, let top = labels.last, top.count >= 2, !top.allSatisfy(isASCIIDigit) else {
            return false
        }
        return labels.allSatisfy { label in
            (1...63).contains(label.count) && label.first != hyphen && label.last != hyphen
                && label.allSatisfy { $0 == hyphen || isASCIIAlphanumeric($0) }
        }
    }

    /// The rule of `normalizedPhone` over the trimmed text's scalar values, shared by both paths.
    static func isPhone<Values: Collection<UInt32>>(_ values: Values) -> Bool {
        guard values.count <= 32 else { return false }
        var digits = 0
        var openParenthesis = false
        var usedParentheses = false
        for (offset, value) in values.enumerated() {
            switch value {
            case 0x30...0x39:
                digits += 1
            case 0x2B:  // +
                guard offset == 0 else { return false }
            case 0x20, 0x2D, 0x2E:  // space - .
                continue
            case 0x28:  // (
                guard !usedParentheses else { return false }
                openParenthesis = true
                usedParentheses = true
            case 0x29:  // )
                guard openParenthesis else { return false }
                openParenthesis = false
            default:
                return false
            }
        }
        return !openParenthesis && (7...15).contains(digits)
    }

    /// `normalizedExperimentNo` on trimmed ASCII bytes.
    static func isASCIIExperimentNo(_ no: ArraySlice<UInt8>) -> Bool {
        (1...19).contains(no.count) && no.allSatisfy(isASCIIAlphanumeric)
    }

    private static let emailLocalSymbols = Set("!#$%&'*+/=?^_`{|}~-.".utf8)

    private static func isASCIIDigit(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte)
    }

    private static func isASCIIAlphanumeric(_ byte: UInt8) -> Bool {
        isASCIIDigit(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
    }
}
