import Foundation

/// The rule for each text field, as pure functions: the normalized value when it
/// is acceptable, nil when it is not. Shared by `/api/reply/start` and `/submit`.
extension Participant {
    /// 2–64 characters after trimming and collapsing whitespace: letters of any script
    /// (with their combining marks), single spaces, and `-`, `'`, `’`, `.`, `·`, `・`
    /// between name parts (`Anne-Marie`, `O'Brien`, `J. R. Smith`). Starts with a letter.
    /// One Hangul syllable is too short; `홍길동` and `이산` pass.
    public static func normalizedName(_ raw: String) -> String? {
        if isHangulSyllables(raw) { return raw }
        return generalName(raw)
    }

    /// `normalizedName` for any text (the general path).
    static func generalName(_ raw: String) -> String? {
        let collapsed = raw.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
        let name = isComposed(collapsed) ? collapsed : collapsed.precomposedStringWithCanonicalMapping
        guard name.unicodeScalars.count <= 256 else { return nil }
        let characters = Array(name)
        guard (2...64).contains(characters.count), isNameLetter(characters[0]) else { return nil }
        for index in characters.indices.dropFirst() where !isNameLetter(characters[index]) {
            let previous = characters[index - 1]
            let next: Character? = index + 1 < characters.count ? characters[index + 1] : nil
            let afterPart = isNameLetter(previous) || previous == "."
            let beforePart = next.map(isNameLetter) ?? false
            switch characters[index] {
            case " ", "-", "'", "\u{2019}", "\u{00B7}", "\u{30FB}":
                guard afterPart, beforePart else { return nil }
            case ".":
                guard isNameLetter(previous), next == nil || next == " " || next == "-" else { return nil }
            default:
                return nil
            }
        }
        return name
    }

    /// Fewer than 48 characters, exactly one `@`, a local part of the usual ASCII
    /// characters with no leading, trailing or doubled dot, and a domain of at least
    /// two labels (letters of any script, digits, inner `-`) whose last is not numeric.
    public static func normalizedEmail(_ raw: String) -> String? {
        if let ascii = asciiTrimmed(raw) {
            return isASCIIEmail(ascii) ? String(decoding: ascii, as: UTF8.self) : nil
        }
        return generalEmail(raw)
    }

    /// `normalizedEmail` for text of any script (also the reference for the ASCII path's test).
    static func generalEmail(_ raw: String) -> String? {
        let email = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard email.count < 48, email.utf8.count <= 254 else { return nil }
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, isEmailLocalPart(parts[0]), isEmailDomain(parts[1]) else { return nil }
        return email
    }

    /// 1–19 ASCII letters and digits (a student or participant number). No `-`:
    /// it identifies a person for "one reply per pack", so `2020-1` and `20201`
    /// must not become two people.
    public static func normalizedExperimentNo(_ raw: String) -> String? {
        if let ascii = asciiTrimmed(raw) {
            return isASCIIExperimentNo(ascii) ? String(decoding: ascii, as: UTF8.self) : nil
        }
        return generalExperimentNo(raw)
    }

    static func generalExperimentNo(_ raw: String) -> String? {
        let no = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...19).contains(no.unicodeScalars.count),
              no.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0)) })
        else { return nil }
        return no
    }

    /// Korean (`010-1234-5678`, `02-123-4567`) and international (`+1 (415) 555-0100`)
    /// forms: an optional leading `+`, digits, spaces, `-`, `.` and one pair of
    /// parentheses; 7–15 digits in all; at most 32 characters.
    public static func normalizedPhone(_ raw: String) -> String? {
        if let ascii = asciiTrimmed(raw) {
            return isPhone(ascii.lazy.map(UInt32.init)) ? String(decoding: ascii, as: UTF8.self) : nil
        }
        return generalPhone(raw)
    }

    static func generalPhone(_ raw: String) -> String? {
        let phone = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        return isPhone(Array(phone.unicodeScalars.lazy.map(\.value))) ? phone : nil
    }

    /// Text that NFC leaves as it is, known without running NFC: scalars below U+0300 (no
    /// combining marks, nothing that recomposes) and precomposed Hangul syllables (no jamo).
    static func isComposed(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy { $0.value < 0x300 || (0xAC00...0xD7A3).contains($0.value) }
    }

    /// A letter of any script with its combining marks (and the zero-width joiners
    /// some scripts need inside a name, such as Persian's ZWNJ).
    static func isNameLetter(_ character: Character) -> Bool {
        var scalars = character.unicodeScalars.makeIterator()
        guard let first = scalars.next(), isLetter(first) else { return false }
        while let scalar = scalars.next() {
            guard isLetter(scalar) || isMark(scalar) || scalar == "\u{200C}" || scalar == "\u{200D}" else {
                return false
            }
        }
        return true
    }

    private static func isLetter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: true
        default: false
        }
    }

    private static func isMark(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark: true
        default: false
        }
    }

    private static func isEmailLocalPart(_ local: Substring) -> Bool {
        let allowed = Set("!#$%&'*+/=?^_`{|}~-.".unicodeScalars)
        guard (1...64).contains(local.unicodeScalars.count),
              local.first != ".", local.last != ".", !local.contains(".."),
              local.unicodeScalars.allSatisfy({ scalar in
                  scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)
                      || allowed.contains(scalar))
              })
        else { return false }
        return true
    }

    private static func isEmailDomain(_ domain: Substring) -> Bool {
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2, let top = labels.last, top.count >= 2,
              !top.allSatisfy({ $0.isASCII && $0.isWholeNumber })
        else { return false }
        return labels.allSatisfy { label in
            (1...63).contains(label.count) && label.first != "-" && label.last != "-"
                && label.allSatisfy { $0 == "-" || ($0.isASCII && $0.isWholeNumber) || isNameLetter($0) }
        }
    }
}
