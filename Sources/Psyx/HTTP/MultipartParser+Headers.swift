extension MultipartParser {
    private static let colon = UInt8(ascii: ":")

    /// Checks one complete header line (without its CRLF) as soon as it is
    /// read, so a part whose blank line is missing fails at its first content
    /// line instead of swallowing the body. A line is `Name: value` with a
    /// visible-ASCII name, or a folded continuation (leading space or tab) of
    /// the line before it.
    static func validateHeaderLine(_ line: UnsafeRawBufferPointer, isFirst: Bool) throws(MultipartError) {
        if line.contains(lf) { throw .malformedHeaders }
        guard let first = line.first else { throw .malformedHeaders }
        if HeaderValue.isWhitespace(first) {
            if isFirst { throw .malformedHeaders }
            return
        }
        guard let colon = line.firstIndex(of: colon), colon > 0,
              line[..<colon].allSatisfy({ (0x21...0x7E).contains($0) })
        else { throw .malformedHeaders }
    }

    /// Builds a part's headers from its block: validated lines, each ending in CRLF.
    static func partHeaders(fromBlock block: UnsafeRawBufferPointer) throws(MultipartError) -> PartHeaders {
        var fields: [(name: String, value: [UInt8])] = []
        var start = 0
        while start < block.count {
            let end = firstIndex(of: cr, in: block, from: start) ?? block.count
            let line = Array(block[start..<end])[...]
            if let first = line.first, HeaderValue.isWhitespace(first) {
                if !fields.isEmpty {
                    fields[fields.count - 1].value.append(UInt8(ascii: " "))
                    fields[fields.count - 1].value.append(contentsOf: HeaderValue.trimmed(line))
                }
            } else if let colon = line.firstIndex(of: colon) {
                let name = HeaderValue.string(line[..<colon]).lowercased()
                fields.append((name, Array(HeaderValue.trimmed(line[(colon + 1)...]))))
            }
            start = end + 2
        }

        guard let disposition = fields.first(where: { $0.name == "content-disposition" }) else {
            throw .missingContentDisposition
        }
        guard let value = HeaderValue(disposition.value) else { throw .malformedHeaders }
        guard value.type == "form-data", let name = value.parameters["name"] else {
            throw .missingContentDisposition
        }
        let contentType = fields.first(where: { $0.name == "content-type" })
            .map { HeaderValue.string($0.value[...]) }
        return PartHeaders(
            name: name,
            filename: value.parameters["filename"],
            contentType: contentType?.isEmpty == false ? contentType : nil
        )
    }
}
