import Dispatch
import FastCGI
import Foundation

/// `psyx serve`: the FastCGI responder until SIGTERM or SIGINT.
public enum ServeCommand {
    public static func run(_ settings: Settings) throws {
        let application = try Application(settings: settings)
        let configuration = ServerConfiguration(listen: settings.listen, maxConnections: settings.maxConnections,
                                                maxBodyBytes: settings.maxBodyBytes, spoolDirectory: application.data.spool)
        let server = try Server(configuration: configuration, responder: application.makeResponder(),
                                counters: application.counters)
        let signals = TerminationSignals { server.stop() }
        application.log.note(.info, "psyx serving on \(settings.listen), data \(settings.dataDirectory), database \(settings.database)")
        server.run()
        application.log.note(.info, "psyx stopped")
        withExtendedLifetime(signals) {}
    }
}
