/// RFC 4180 quoting, and no leading `=`/`+`/`-`/`@` that a spreadsheet would run as a formula.
///
/// Decided on bytes, not Characters: a Character compare misses `\r\n` (one grapheme) and a
/// quote or `=` carrying a combining mark, which would break the row or open a formula.
enum CSVField {
    static func escape(_ text: String) -> String {
        var bytes = Array(text.utf8)
        if let first = bytes.first, "=+-@".utf8.contains(first) { bytes.insert(UInt8(ascii: "'"), at: 0) }
        let quote = UInt8(ascii: "\"")
        guard bytes.contains(where: { $0 == UInt8(ascii: ",") || $0 == quote || $0 == 0x0A || $0 == 0x0D }) else {
            return String(decoding: bytes, as: UTF8.self)
        }
        var quoted: [UInt8] = [quote]
        for byte in bytes {
            quoted.append(byte)
            if byte == quote { quoted.append(quote) }
        }
        quoted.append(quote)
        return String(decoding: quoted, as: UTF8.self)
    }
}
