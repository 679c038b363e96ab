/// The headers of one `multipart/form-data` part that a handler needs.
public struct PartHeaders: Equatable, Sendable {
    /// The form field's name, from `Content-Disposition: form-data; name="..."`.
    public var name: String
    /// The file name exactly as sent; browsers uploading a folder put the folder
    /// path in it (`pack/x_00001_ori.jpg`). Nil for a plain text field.
    public var filename: String?
    /// The part's `Content-Type`, as sent (trimmed), if any.
    public var contentType: String?

    /// Made by the parser; public so that handlers can be tested without bodies.
    public init(name: String, filename: String? = nil, contentType: String? = nil) {
        self.name = name
        self.filename = filename
        self.contentType = contentType
    }

    /// The last path component of `filename`, splitting on both `/` and `\`
    /// (Windows browsers send backslashes). Nil when there is no filename or the
    /// last component is empty, `.` or `..`: the result never names another
    /// folder (callers still check it against the names they accept).
    public var baseFilename: String? {
        guard let filename else { return nil }
        // Bytes, not Characters: a separator followed by a combining mark must still split.
        let utf8 = filename.utf8
        let start = utf8.lastIndex(where: { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "\\") })
            .map { utf8.index(after: $0) } ?? utf8.startIndex
        let last = String(decoding: utf8[start...], as: UTF8.self)
        guard !last.isEmpty, last != ".", last != ".." else { return nil }
        return last
    }
}
