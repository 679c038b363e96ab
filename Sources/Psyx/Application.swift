import FastCGI
import Foundation

/// Everything one running Psyx needs, opened from its settings: the data
/// directory, the log, the store, and the routes built on them.
public final class Application: Sendable {
    public let settings: Settings
    public let data: DataDirectory
    public let log: RequestLog
    public let store: any ExperimentStore
    public let relocationStore: any RelocationStore
    /// Proves the database answers, for `/api/health`.
    private let ping: @Sendable () throws -> Void
    public let counters: ConnectionCounters
    /// The relocation API's shared key; nil: those routes answer 403.
    let relocationKey: SharedKey?
    /// This node's copies of the packs the database keeps (PostgreSQL); nil on SQLite.
    let packCopies: PackCopies?
    /// Participant numbers held at start: `holds.sqlite` beside the SQLite database, or PostgreSQL's table.
    let holds: any StartHolds

    public init(settings: Settings) throws {
        self.settings = settings
        data = DataDirectory(settings.dataDirectory)
        umask(0o027)
        relocationKey = try settings.relocationKeyFile.map(SharedKey.init(file:))
        try data.prepare()
        log = RequestLog(directory: data.logs)
        do {
            (store, relocationStore, ping) = try settings.database.responderStores()
        } catch StoreError.unavailable(let reason) {
            // Refused rather than waited for: systemd's Restart=on-failure tries again, and this says why.
            throw CommandError("cannot reach the database \(settings.database), so psyx does not start "
                               + "(it is started again by systemd's Restart=on-failure): \(reason)")
        }
        holds = try settings.database.startHolds(beside: store)
        counters = ConnectionCounters()
        // On PostgreSQL, first the copies of packs removed while this responder was down (its record says which).
        let (data, store, log) = (self.data, self.store, self.log)
        let copies = (store as? any SharedPackFiles).map { PackCopies(data: data, files: $0, store: store, log: log) }
        try copies?.dropRecordedCopiesOfGonePacks()
        _ = try PackFolderReconciliation(data: data, database: settings.database.description, log: log)
            .run(packNames: try store.packNames())
        if let copies {
            try copies.dropOutdatedCopies()
            try copies.sweep()
            copies.startSweeping()
            packCopies = copies
        } else {
            packCopies = nil
        }
    }

    public func makeResponder() -> PsyxResponder {
        var router = Router()
        let diskGuard = DiskSpaceGuard(path: data.root, floorBytes: settings.minFreeDiskBytes)
        HealthRoutes(ping: ping, counters: counters, disk: diskGuard).register(in: &router)
        ExperimentRoutes(store: store, data: data, packSize: settings.packSize, timeLimit: settings.timeLimit, log: log,
                         diskGuard: diskGuard, packCopies: packCopies, holds: holds,
                         fixedHoldSeconds: settings.holdSeconds).register(in: &router)
        RelocationRoutes(store: relocationStore, key: relocationKey).register(in: &router)
        AnalysisRoutes(service: AnalysisService(store: store, data: data, log: log, packCopies: packCopies)).register(in: &router)
        return PsyxResponder(router: router, log: log)
    }
}
