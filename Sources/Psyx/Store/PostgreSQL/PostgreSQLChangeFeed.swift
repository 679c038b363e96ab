import FastCGI
import Foundation
import Synchronization

/// Tells one process, within moments, what any responder committed to the shared database, so its
/// in-memory caches (packs, which pack fits whom, who has replied) and its data version stay true
/// with several responders.
///
/// One connection of its own LISTENs on `psyx_changes`, where the schema's triggers notify every
/// committed change to packs, pairs and replies with the writer's origin (PostgreSQL delivers a
/// notification only after its transaction committed, to every listening session). A thread waits
/// for them and hands each to `handle`; one from another writer moves `version`. This process's
/// own commits move it themselves, at once (`noteOwnCommit`), so its next answer already shows them.
///
/// While the connection is down nothing can be heard, so `isLive` is false and callers must not
/// trust their caches or the version; on reconnecting the feed listens first, then reports
/// `.everything` (what was missed meanwhile is unknown), moves the version, and becomes live again.
/// The caches are only a shortcut: the database's constraints refuse anything a cache a moment
/// stale lets through.
final class PostgreSQLChangeFeed: Sendable {
    static let channel = "psyx_changes"

    /// What a notification says changed.
    enum Change: Equatable, Sendable {
        /// Packs or their pairs were created, changed or removed.
        case packs
        /// Only reply counts moved (the list changed, no pack did).
        case counts
        /// A reply to the pack by the participant number (case-folded) was stored.
        case reply(packID: Int64, folded: String)
        /// Replies of the pack were changed or deleted.
        case replies(packID: Int64)
        /// Anything may have changed (a TRUNCATE, a payload not understood, a lost connection).
        case everything

        /// Reads a payload of the schema's trigger function `psyx_note_change` after its origin.
        init(payload words: [Substring]) {
            switch (words.first, words.count) {
            case ("packs", 1): self = .packs
            case ("counts", 1): self = .counts
            case ("reply", 3): self = Int64(words[1]).map { .reply(packID: $0, folded: String(words[2])) } ?? .everything
            case ("replies", 2): self = Int64(words[1]).map { .replies(packID: $0) } ?? .everything
            default: self = .everything
            }
        }
    }

    private let info: PostgreSQLConnectionInfo
    /// The `psyx.origin` of this process's own sessions (`PostgreSQLPool.origin`).
    private let origin: String
    private let handle: @Sendable (Change) -> Void
    private let live = Atomic<Bool>(false)
    private let changes = Atomic<Int64>(1)
    private let stopped = Atomic<Bool>(false)
    private let finished = DispatchSemaphore(value: 0)
    /// How long one wait for notifications lasts: also how soon `stop()` is noticed.
    static let waitMilliseconds: Int32 = 200

    /// Connects and listens before returning, so no change committed after `init` goes unheard.
    init(_ info: PostgreSQLConnectionInfo, origin: String, handle: @escaping @Sendable (Change) -> Void) throws(PostgreSQLError) {
        self.info = info
        self.origin = origin
        self.handle = handle
        // Handed to the thread, which alone uses it from then on.
        let connection = Locked<PostgreSQLConnection?>(try Self.listening(info))
        live.store(true, ordering: .sequentiallyConsistent)
        let thread = Thread { [self] in
            run(connection.withLock { $0.take() })
            finished.signal()
        }
        thread.name = "psyx-change-feed"
        thread.start()
    }

    /// False while the listening connection is down: caches must be bypassed.
    var isLive: Bool { live.load(ordering: .sequentiallyConsistent) }

    /// A number that moves with every commit heard of, and with this process's own; nil while the
    /// feed is not live (nothing can be told then). Compare only numbers of the same feed.
    var version: Int64? {
        guard isLive else { return nil }
        return changes.load(ordering: .sequentiallyConsistent)
    }

    /// After this process committed a change: its own notification will not move the version again.
    func noteOwnCommit() {
        changes.add(1, ordering: .sequentiallyConsistent)
    }

    /// One notification's payload: `ORIGIN WHAT …`.
    private func heard(_ payload: String) {
        let words = payload.split(separator: " ")
        if words.first.map(String.init) != origin { changes.add(1, ordering: .sequentiallyConsistent) }
        handle(Change(payload: Array(words.dropFirst())))
    }

    /// Ends the thread and closes its connection (within `waitMilliseconds`).
    func stop() {
        guard !stopped.exchange(true, ordering: .sequentiallyConsistent) else { return }
        finished.wait()
        live.store(false, ordering: .sequentiallyConsistent)
    }

    private static func listening(_ info: PostgreSQLConnectionInfo) throws(PostgreSQLError) -> PostgreSQLConnection {
        let connection = try PostgreSQLConnection(info)
        try connection.listen(channel)
        return connection
    }

    private func run(_ first: PostgreSQLConnection?) {
        var connection = first
        while !stopped.load(ordering: .sequentiallyConsistent) {
            if let current = connection {
                do {
                    for payload in try current.notifications(waitingMilliseconds: Self.waitMilliseconds) {
                        heard(payload)
                    }
                } catch {
                    live.store(false, ordering: .sequentiallyConsistent)
                    changes.add(1, ordering: .sequentiallyConsistent)
                    handle(.everything)
                    connection = nil
                }
            } else if let reopened = try? Self.listening(info) {
                connection = reopened
                handle(.everything)
                changes.add(1, ordering: .sequentiallyConsistent)
                live.store(true, ordering: .sequentiallyConsistent)
            } else {
                usleep(UInt32(Self.waitMilliseconds) * 1000)
            }
        }
    }
}
