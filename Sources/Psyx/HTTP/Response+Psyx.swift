import FastCGI

/// The response shapes of the policy (spec §2): JSON data, plain-text alerts, small HTML pages.
extension Response {
    public static let jsonType = "application/json; charset=utf-8"
    public static let textType = "text/plain; charset=utf-8"
    public static let htmlType = "text/html; charset=utf-8"

    public static func json(_ body: [UInt8], status: Int = 200) -> Response {
        Response(status: status, contentType: jsonType, body: body)
    }

    public static func json(_ text: String, status: Int = 200) -> Response {
        json(Array(text.utf8), status: status)
    }

    /// An alert message such as `Pack 7 Added.`.
    public static func text(_ message: String, status: Int = 200) -> Response {
        Response(status: status, contentType: textType, body: Array(message.utf8))
    }

    /// A small page whose text is one sentence, HTML-escaped.
    public static func html(status: Int, title: String, sentence: String) -> Response {
        let page = """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>\(status) \(HTMLEscaping.escape(title))</title></head>
        <body><p>\(HTMLEscaping.escape(sentence))</p></body></html>

        """
        return Response(status: status, contentType: htmlType, body: Array(page.utf8))
    }
}
