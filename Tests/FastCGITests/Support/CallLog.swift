import Dispatch
import Foundation
import Synchronization
@testable import FastCGI

/// What the test responder was asked, shared between connection threads and the test.
final class CallLog: Sendable {
    enum Call: Equatable, Sendable {
        /// `respond` ran: the request's params, body size and checksum, and where the body was.
        case respond(params: [String: String], count: Int, checksum: String, storage: BodyPlace)
        /// `reject` ran instead of the handler.
        case reject(Rejection, params: [String: String])
    }

    enum BodyPlace: Equatable, Sendable {
        case memory
        /// Spooled: the file's path and whether it existed while the handler ran.
        case file(path: String, existed: Bool)
        case unreadable
    }

    private let calls = Mutex<[Call]>([])
    private let threads = Mutex<[String]>([])
    /// Signalled when a `/slow` request has entered the handler.
    let slowEntered = DispatchSemaphore(value: 0)
    /// Signalled by the test to let a `/slow` request finish.
    let slowGate = DispatchSemaphore(value: 0)

    var all: [Call] { calls.withLock { $0 } }

    var respondCount: Int {
        all.filter { if case .respond = $0 { true } else { false } }.count
    }

    var rejections: [Rejection] {
        all.compactMap { if case .reject(let reason, _) = $0 { reason } else { nil } }
    }

    /// The name of the thread each `respond` ran on, in order: an event loop's or a worker's.
    var respondThreads: [String] { threads.withLock { $0 } }

    func append(_ call: Call) {
        calls.withLock { $0.append(call) }
        if case .respond = call { threads.withLock { $0.append(Thread.current.name ?? "") } }
    }
}
