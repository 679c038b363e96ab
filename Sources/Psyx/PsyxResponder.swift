import FastCGI
import Foundation

/// The application as the FastCGI server sees it: routes each request, enforces
/// access, turns every error into its policy response, and logs one line.
public final class PsyxResponder: Responder {
    let router: Router
    private let log: RequestLog

    public init(router: Router, log: RequestLog) {
        self.router = router
        self.log = log
    }

    public func respond(to request: Request) -> Response {
        let started = DispatchTime.now().uptimeNanoseconds
        let http = HTTPRequest(request, id: RequestID.make())
        return answer(http, started: started) {
            let route = try router.match(method: http.method, path: http.path)
            try AccessPolicy.check(route, http)
            return try route.handler(http)
        }
    }

    /// `make`'s answer, or its error's policy page, finished and logged; a `WorkerAnswer` is answered
    /// the same way on a worker thread.
    private func answer(_ http: HTTPRequest, started: UInt64, _ make: () throws -> Response) -> Response {
        var response: Response
        var message: String?
        do {
            response = try make()
        } catch let handOver as WorkerAnswer {
            return .deferred { [self] in answer(http, started: started, handOver.make) }
        } catch let error as APIError {
            response = error.response(requestID: http.id)
            message = error.logMessage
        } catch let error as StoreError where error.isUnavailable {
            let apiError = APIError.databaseUnavailable(cause: String(describing: error))
            response = apiError.response(requestID: http.id)
            message = apiError.logMessage
        } catch {
            let apiError = APIError.internalError(cause: String(describing: error))
            response = apiError.response(requestID: http.id)
            message = apiError.logMessage
        }
        finish(&response, for: http, started: started, message: message)
        return response
    }

    public func reject(_ request: Request, because reason: Rejection) -> Response {
        let error: APIError = switch reason {
        case .overloaded: .serviceUnavailable
        case .bodyTooLarge: .payloadTooLarge
        case .bodyLengthMismatch: .badRequest("The request body does not match its Content-Length.")
        case .spoolFailed: .internalError(cause: "request body could not be spooled to disk")
        case .headersTooLarge: .headersTooLarge
        }
        return answer(request, with: error)
    }

    /// The policy page of an error decided without the handler (a rejection, a plan's answer), logged.
    func answer(_ request: Request, with error: APIError) -> Response {
        let started = DispatchTime.now().uptimeNanoseconds
        let http = HTTPRequest(request, id: RequestID.make())
        var response = error.response(requestID: http.id)
        finish(&response, for: http, started: started, message: error.logMessage)
        return response
    }

    private func finish(_ response: inout Response, for request: HTTPRequest, started: UInt64, message: String?) {
        response.headers.append(("X-Content-Type-Options", "nosniff"))
        if response.header("Cache-Control") == nil {
            response.headers.append(("Cache-Control", "no-store"))
        }
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds &- started) / 1_000_000
        let level: LogLevel = response.status >= 500 ? .error : (response.status >= 400 ? .warning : .info)
        log.record(LogEntry(level: level, requestID: request.id, method: request.method, route: request.path,
                            status: response.status, durationMilliseconds: elapsed, client: request.clientAddress,
                            user: request.remoteUser, message: message))
    }
}
