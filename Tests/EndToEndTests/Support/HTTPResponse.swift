import Foundation

/// What came back over HTTP: the status, the headers of the final response, the body.
struct HTTPResponse {
    let status: Int
    /// Header names lowercased, in order.
    let headers: [(name: String, value: String)]
    let body: [UInt8]

    var text: String { String(decoding: body, as: UTF8.self) }

    /// The first header of that name (case-insensitive).
    func header(_ name: String) -> String? {
        let lowered = name.lowercased()
        return headers.first { $0.name == lowered }?.value
    }

    /// The body parsed as JSON (nil when it is not JSON).
    var json: Any? {
        try? JSONSerialization.jsonObject(with: Data(body), options: [.fragmentsAllowed])
    }

    /// Parses curl's `--dump-header` output: every response block curl saw
    /// (100 Continue, redirects...), of which the last one is the answer.
    static func lastHeaderBlock(of dump: String) -> [(name: String, value: String)] {
        var blocks: [[(name: String, value: String)]] = []
        var current: [(name: String, value: String)] = []
        // "\r\n" is one Character in Swift: split with Foundation, on the string.
        for line in dump.components(separatedBy: "\r\n").flatMap({ $0.components(separatedBy: "\n") }) {
            if line.hasPrefix("HTTP/") {
                if !current.isEmpty { blocks.append(current) }
                current = []
            } else if let colon = line.firstIndex(of: ":") {
                let name = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
                let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                current.append((name: name, value: value))
            }
        }
        if !current.isEmpty { blocks.append(current) }
        return blocks.last ?? []
    }
}
