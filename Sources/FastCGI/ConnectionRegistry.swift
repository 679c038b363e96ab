import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The open connections, so that `Server.stop()` can close the idle ones at once
/// while busy ones finish their response.
///
/// A connection flips its own atomic flag between idle and busy on every request;
/// only opening and closing a connection take the registry's lock, so the request
/// path shares no lock between connection threads.
final class ConnectionRegistry: Sendable {
    /// One connection's state, written by its own thread and read by `stopAll`.
    final class Entry: Sendable {
        fileprivate let fd: Int32
        private let idle = Atomic<Bool>(false)
        private let registry: ConnectionRegistry

        fileprivate init(fd: Int32, registry: ConnectionRegistry) {
            self.fd = fd
            self.registry = registry
        }

        /// Waiting for the next request: `stop()` may close it. False when stopping.
        func markIdle() -> Bool {
            idle.store(true, ordering: .sequentiallyConsistent)
            // Either this load sees `stopping`, or stopAll's scan sees the flag set above.
            return !registry.isStopping
        }

        /// Working on a request (or closing): `stop()` leaves it to finish.
        func markBusy() {
            idle.store(false, ordering: .sequentiallyConsistent)
        }

        fileprivate var isIdle: Bool { idle.load(ordering: .sequentiallyConsistent) }
    }

    private let entries = Locked<[Int32: Entry]>([:])
    private let stopping = Atomic<Bool>(false)

    var isStopping: Bool { stopping.load(ordering: .sequentiallyConsistent) }

    func register(_ fd: Int32) -> Entry {
        let entry = Entry(fd: fd, registry: self)
        entries.withLock { $0[fd] = entry }
        return entry
    }

    func unregister(_ entry: Entry) {
        entries.withLock { _ = $0.removeValue(forKey: entry.fd) }
    }

    /// Marks the server stopping and shuts the sockets of idle connections, which wakes their threads.
    func stopAll() {
        stopping.store(true, ordering: .sequentiallyConsistent)
        entries.withLock { entries in
            for entry in entries.values where entry.isIdle {
                _ = shutdown(entry.fd, Int32(SHUT_RDWR))
            }
        }
    }
}
