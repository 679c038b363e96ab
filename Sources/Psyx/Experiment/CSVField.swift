/// RFC 4180 quoting, and no leading `=`/`+`/`-`/`@` that a spreadsheet would run as a formula.
enum CSVField {
    static func escape(_ text: String) -> String {
        var value = text
        if let first = value.first, "=+-@".contains(first) { value = "'" + value }
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
