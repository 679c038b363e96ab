import Synchronization

/// What every connection of one server shares: its settings, the responder,
/// the figures, the stopping flag and the worker threads. Holds no connection,
/// so event loops and connections can keep it without a reference cycle.
final class ServerContext: Sendable {
    let configuration: ServerConfiguration
    let responder: any Responder
    let counters: ConnectionCounters
    /// Serve the requests an event loop hands off.
    let workers = ConnectionThreads()
    private let stopping = Atomic<Bool>(false)

    init(configuration: ServerConfiguration, responder: any Responder, counters: ConnectionCounters) {
        self.configuration = configuration
        self.responder = responder
        self.counters = counters
    }

    var isStopping: Bool { stopping.load(ordering: .sequentiallyConsistent) }

    func markStopping() { stopping.store(true, ordering: .sequentiallyConsistent) }

    var bodyLimits: BodySpool.Limits {
        BodySpool.Limits(memoryLimit: configuration.memoryBodyLimit, maxBytes: configuration.maxBodyBytes,
                         directory: configuration.spoolDirectory)
    }
}
