/// Parses the query of a URL (FastCGI's `QUERY_STRING`, e.g. `id=7&format=csv`)
/// with the same rules as `FormURLEncoded`, first value winning. A leading `?`
/// is ignored, so a query cut from a full URL works too.
public enum QueryString {
    /// Name → first value; never fails, since a malformed query is still a query.
    public static func parse(_ query: String) -> [String: String] {
        var bytes = Array(query.utf8)
        if bytes.first == UInt8(ascii: "?") { bytes.removeFirst() }
        return FormURLEncoded.parse(bytes)
    }
}
