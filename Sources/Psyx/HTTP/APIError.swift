import FastCGI

/// Every way a request can fail; each case knows its status and page (spec §2).
public enum APIError: Error, Equatable, Sendable {
    /// The user's input is wrong: 400 with one human-readable sentence.
    case badRequest(String)
    /// A 400 whose sentence quotes what a participant typed: the log gets `logMessage` instead (no personal data).
    case badPersonalInput(String, logMessage: String)
    /// Admin route without an authenticated user, or a cross-site browser request.
    case forbidden(String)
    case notFound
    case methodNotAllowed(allowed: [String])
    case payloadTooLarge
    /// More header fields (FastCGI params) than the server takes.
    case headersTooLarge
    case serviceUnavailable
    /// The database cannot be reached just now (PostgreSQL down or unreachable): 503, so clients
    /// retry; `cause` goes to the log only.
    case databaseUnavailable(cause: String)
    /// An upload while the data directory's free space is under its floor (PSYX_MIN_FREE_DISK).
    case lowDiskSpace(freeBytes: Int, floorBytes: Int)
    /// The server could not do it; `cause` goes to the log only, never to the client.
    case internalError(cause: String)

    public var status: Int {
        switch self {
        case .badRequest, .badPersonalInput: 400
        case .forbidden: 403
        case .notFound: 404
        case .methodNotAllowed: 405
        case .payloadTooLarge: 413
        case .headersTooLarge: 431
        case .serviceUnavailable, .databaseUnavailable, .lowDiskSpace: 503
        case .internalError: 500
        }
    }

    /// What the log says about it: the 400 message, the 500 cause.
    public var logMessage: String? {
        switch self {
        case .badRequest(let message), .forbidden(let message): message
        case .badPersonalInput(_, let logMessage): logMessage
        case .internalError(let cause), .databaseUnavailable(let cause): cause
        case .lowDiskSpace(let free, let floor):
            "upload refused: \(free) bytes free in the data directory, under the floor of \(floor) (PSYX_MIN_FREE_DISK)"
        default: nil
        }
    }

    /// The page the client sees; nothing internal ever shows.
    public func response(requestID: String) -> Response {
        var response: Response
        switch self {
        case .badRequest(let message), .badPersonalInput(let message, _):
            response = .html(status: 400, title: "Bad Request", sentence: message)
        case .forbidden(let message):
            response = .html(status: 403, title: "Forbidden", sentence: message)
        case .notFound:
            response = .html(status: 404, title: "Not Found", sentence: "No such route.")
        case .methodNotAllowed(let allowed):
            response = .html(status: 405, title: "Method Not Allowed", sentence: "This route does not take that method.")
            response.headers.append(("Allow", allowed.joined(separator: ", ")))
        case .payloadTooLarge:
            response = .html(status: 413, title: "Payload Too Large", sentence: "The request body is larger than this server accepts.")
        case .headersTooLarge:
            response = .html(status: 431, title: "Request Header Fields Too Large",
                             sentence: "The request carries more header fields than this server accepts.")
        case .serviceUnavailable:
            response = .html(status: 503, title: "Service Unavailable", sentence: "The server is busy; please try again in a moment.")
        case .databaseUnavailable:
            response = .html(status: 503, title: "Service Unavailable",
                             sentence: "The database cannot be reached just now; please try again in a moment.")
            response.headers.append(("Retry-After", "2"))
        case .lowDiskSpace:
            response = .html(status: 503, title: "Service Unavailable",
                             sentence: "The server is low on disk space, so uploads are refused until space is freed.")
        case .internalError:
            response = .html(status: 500, title: "Internal Server Error",
                             sentence: "The server could not complete the request (request id \(requestID)).")
        }
        return response
    }
}
