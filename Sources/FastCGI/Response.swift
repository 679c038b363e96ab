/// What a responder answers: a CGI status, headers, and a body sent as STDOUT records.
public struct Response: Sendable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: Body

    /// A body known up front, or produced piece by piece so that large answers
    /// (a download of many replies) never sit whole in memory.
    public enum Body: Sendable {
        case bytes([UInt8])
        case stream(@Sendable (any BodySink) throws -> Void)
        /// The whole answer (status and headers too) is made by a worker thread: a request answered
        /// on an event loop that finds it must wait after all (a database round trip) hands the rest
        /// over instead of blocking the loop. The outer status and headers are not sent.
        case deferred(@Sendable () -> Response)
    }

    public init(status: Int, headers: [(name: String, value: String)] = [], body: Body = .bytes([])) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A response whose making is left to a worker thread (`Body.deferred`).
    public static func deferred(_ make: @escaping @Sendable () -> Response) -> Response {
        Response(status: 0, body: .deferred(make))
    }

    /// The answer itself: a deferred one made now, on the calling thread.
    public var resolved: Response {
        if case .deferred(let make) = body { return make().resolved }
        return self
    }

    public init(status: Int, contentType: String, body: [UInt8]) {
        self.init(status: status, headers: [("Content-Type", contentType)], body: .bytes(body))
    }

    /// The first header of that name, compared without regard to ASCII case.
    public func header(_ name: String) -> String? {
        headers.first { Self.sameName($0.name, name) }?.value
    }

    private static func sameName(_ left: String, _ right: String) -> Bool {
        left.utf8.count == right.utf8.count && zip(left.utf8, right.utf8).allSatisfy { lower($0) == lower($1) }
    }

    private static func lower(_ byte: UInt8) -> UInt8 {
        (0x41...0x5A).contains(byte) ? byte | 0x20 : byte
    }
}

/// Where a streamed body goes; writes are buffered into STDOUT records.
public protocol BodySink {
    func write(_ bytes: UnsafeRawBufferPointer) throws
}

extension BodySink {
    public func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try write($0) }
    }

    public func write(_ string: String) throws {
        var string = string
        try string.withUTF8 { try write(UnsafeRawBufferPointer($0)) }
    }
}
