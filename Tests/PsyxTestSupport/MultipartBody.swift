/// Builds `multipart/form-data` bodies as browsers and curl send them.
public struct MultipartBody {
    public let boundary: String
    public private(set) var bytes: [UInt8] = []

    public init(boundary: String = "----psyxTestBoundary7MA4YWxkTrZu0gW") {
        self.boundary = boundary
    }

    public var contentType: String { "multipart/form-data; boundary=\(boundary)" }

    public mutating func addField(_ name: String, _ value: String) {
        bytes += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8)
    }

    public mutating func addFile(_ name: String = "file", filename: String, contentType: String = "image/jpeg", content: [UInt8]) {
        bytes += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"; filename=\"\(filename)\"\r\nContent-Type: \(contentType)\r\n\r\n".utf8)
        bytes += content
        bytes += Array("\r\n".utf8)
    }

    /// The closing boundary; leave it out to test a truncated body.
    public mutating func close() {
        bytes += Array("--\(boundary)--\r\n".utf8)
    }
}
