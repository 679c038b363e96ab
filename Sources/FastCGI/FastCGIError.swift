/// Why a connection's byte stream cannot be understood; the connection is closed, never the process.
public enum FastCGIError: Error, Equatable, Sendable {
    case unsupportedVersion(UInt8)
    case malformedRecord(String)
    case malformedNameValuePairs
    case paramsTooLarge
    case unexpectedRecord(String)
}
