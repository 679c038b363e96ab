@testable import FastCGI

/// A responder that keeps the library's own `reject` answers.
struct DefaultRejections: Responder {
    func respond(to request: Request) -> Response {
        Response(status: 500, contentType: "text/plain", body: Array("not expected\n".utf8))
    }
}
