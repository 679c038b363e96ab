/// Parses `application/x-www-form-urlencoded` bodies, as curl's `-d` and HTML
/// forms send them (`cid=7&count=1964`).
///
/// Rules (the WHATWG URL Standard's, except duplicates): pairs are separated
/// by `&` (not `;`); empty pairs are skipped; a pair without `=` is a name with
/// an empty value; `+` is a space; `%XX` is a byte and a malformed `%` is kept
/// as it is; invalid UTF-8 becomes U+FFFD. When a name occurs twice the
/// **first** value wins, as with `URLSearchParams.get` and Python's
/// `parse_qs(...)[name][0]`, so an appended `&cid=...` cannot override a field.
public enum FormURLEncoded {
    /// Parses a body as received; bytes, so that escaped and raw UTF-8 decode alike.
    public static func parse(_ bytes: [UInt8]) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in bytes.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            let equals = pair.firstIndex(of: UInt8(ascii: "=")) ?? pair.endIndex
            let name = PercentDecoding.decodeString(pair[pair.startIndex..<equals], plusIsSpace: true)
            guard fields[name] == nil else { continue }
            let valueStart = equals < pair.endIndex ? equals + 1 : equals
            fields[name] = PercentDecoding.decodeString(pair[valueStart...], plusIsSpace: true)
        }
        return fields
    }

    /// Parses text already in a String (its UTF-8 bytes).
    public static func parse(_ string: String) -> [String: String] {
        parse(Array(string.utf8))
    }
}
