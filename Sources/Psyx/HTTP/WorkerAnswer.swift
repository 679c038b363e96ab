import FastCGI

/// Thrown by a handler answering on an event loop that finds it must wait after all (a database round
/// trip it cannot answer from memory): `PsyxResponder` hands `make` to a worker thread
/// (`Response.deferred`), where it runs, and its answer or error is finished and logged as any
/// handler's. Thrown on a worker, `make` simply runs there.
struct WorkerAnswer: Error {
    let make: @Sendable () throws -> Response
}
