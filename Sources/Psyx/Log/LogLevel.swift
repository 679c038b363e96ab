/// How a log line should be read: `INFO` for a request that went as expected
/// (200s, and the protocol-level 4xx), `WARN` for a 400 with its message,
/// `ERROR` for a 500 with its cause.
public enum LogLevel: String, Sendable {
    case info = "INFO"
    case warning = "WARN"
    case error = "ERROR"
}
