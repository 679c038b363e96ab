/// How a `Server` listens and what it accepts.
public struct ServerConfiguration: Sendable {
    public var listen: ListenAddress
    /// Connections served at once; one more is answered 503 at once.
    public var maxConnections: Int
    /// Largest request body; a larger one is answered 413 without being stored.
    public var maxBodyBytes: Int
    /// Bodies up to this size stay in memory; larger ones are spooled to `spoolDirectory`.
    public var memoryBodyLimit: Int
    /// Where large bodies are spooled (inside the application's data directory).
    public var spoolDirectory: String
    /// Longest wait for the next bytes of a request that has begun; a stalled peer is dropped.
    public var requestReadTimeout: Double

    public init(listen: ListenAddress, maxConnections: Int = 256, maxBodyBytes: Int = 1 << 30,
                memoryBodyLimit: Int = 1 << 20, spoolDirectory: String, requestReadTimeout: Double = 60) {
        self.listen = listen
        self.maxConnections = maxConnections
        self.maxBodyBytes = maxBodyBytes
        self.memoryBodyLimit = memoryBodyLimit
        self.spoolDirectory = spoolDirectory
        self.requestReadTimeout = requestReadTimeout
    }

    /// The answer to FCGI_GET_VALUES.
    var managementValues: [String: String] {
        ["FCGI_MAX_CONNS": String(maxConnections), "FCGI_MAX_REQS": String(maxConnections), "FCGI_MPXS_CONNS": "0"]
    }
}
