import Foundation

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
    /// A kept connection with no request for this long is closed (Nginx's own upstream keep-alive is 60 s).
    public var idleTimeout: Double
    /// Longest wait for the peer to take response bytes; a peer that stops reading is dropped.
    public var sendTimeout: Double
    /// Threads watching connections and answering quick requests; one per core keeps them
    /// all busy without making them take turns.
    public var eventLoops: Int

    public init(listen: ListenAddress, maxConnections: Int = 256, maxBodyBytes: Int = 1 << 30,
                memoryBodyLimit: Int = 1 << 20, spoolDirectory: String, requestReadTimeout: Double = 60, idleTimeout: Double = 120, sendTimeout: Double = 60,
                eventLoops: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.listen = listen
        self.maxConnections = maxConnections
        self.maxBodyBytes = maxBodyBytes
        self.memoryBodyLimit = memoryBodyLimit
        self.spoolDirectory = spoolDirectory
        self.requestReadTimeout = Self.sane(requestReadTimeout)
        self.idleTimeout = Self.sane(idleTimeout)
        self.sendTimeout = Self.sane(sendTimeout)
        self.eventLoops = min(max(eventLoops, 1), 64)
    }

    /// Timeouts between 1 ms and a day; anything else (NaN, negative) becomes 60 s.
    private static func sane(_ seconds: Double) -> Double {
        seconds.isFinite && seconds >= 0.001 && seconds <= 86_400 ? seconds : 60
    }

    /// The answer to FCGI_GET_VALUES.
    var managementValues: [String: String] {
        ["FCGI_MAX_CONNS": String(maxConnections), "FCGI_MAX_REQS": String(maxConnections), "FCGI_MPXS_CONNS": "0"]
    }
}
