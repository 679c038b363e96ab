import FastCGI
import Foundation

/// Everything one running Psyx needs, opened from its settings: the data
/// directory, the log, the store, and the routes built on them.
public final class Application: Sendable {
    public let settings: Settings
    public let data: DataDirectory
    public let log: RequestLog
    public let store: SQLiteStore
    public let counters: ConnectionCounters
    /// The relocation API's shared key; nil: those routes answer 403.
    let relocationKey: SharedKey?

    public init(settings: Settings) throws {
        self.settings = settings
        data = DataDirectory(settings.dataDirectory)
        umask(0o027)
        relocationKey = try settings.relocationKeyFile.map(SharedKey.init(file:))
        try data.prepare()
        log = RequestLog(directory: data.logs)
        store = try SQLiteStore(path: data.database)
        counters = ConnectionCounters()
        _ = try PackFolderReconciliation(data: data, log: log).run(packNames: try store.packNames())
    }

    public func makeResponder() -> PsyxResponder {
        var router = Router()
        let diskGuard = DiskSpaceGuard(path: data.root, floorBytes: settings.minFreeDiskBytes)
        HealthRoutes(ping: { [store] in try store.ping() }, counters: counters, disk: diskGuard).register(in: &router)
        ExperimentRoutes(store: store, data: data, packSize: settings.packSize, timeLimit: settings.timeLimit, log: log,
                         diskGuard: diskGuard).register(in: &router)
        RelocationRoutes(store: SQLiteRelocationStore(store: store), key: relocationKey).register(in: &router)
        AnalysisRoutes(service: AnalysisService(store: store, data: data, log: log)).register(in: &router)
        return PsyxResponder(router: router, log: log)
    }
}
