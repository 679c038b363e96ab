import FastCGI
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `logs/api.log`: one line per request (format in `LogLine`), renamed to
/// `api.YYYYMMDD.log` at local midnight, daily files kept `retentionDays` days.
///
/// It sits on every request's path, so a write is one formatted string and one
/// `write(2)` to a descriptor opened `O_APPEND` (no fsync, no `DateFormatter`).
/// Writes are serialized by a mutex. A log that cannot be written never throws
/// and never fails a request: the line is dropped and `failureCount` goes up;
/// opening is retried at most once a second, and the first failure of a run of
/// failures is reported on standard error.
public final class RequestLog: Sendable {
    private struct State {
        var descriptor: Int32 = -1
        /// The local day whose lines the open `api.log` holds.
        var fileDay = 0
        var failures = 0
        var nextOpenAttempt: Date?
        var zone: ZoneOffset?
    }

    private let state = ReadWriteLocked(State())
    /// Set while lines are being dropped, so a recovery is noticed without taking the write lock.
    private let failing = Atomic<Bool>(false)
    private let rotation: DailyRotation
    private let clock: any LogClock

    /// `<directory>/api.log`.
    public var path: String { rotation.currentPath }

    /// Opens nothing yet: the directory is created and `api.log` opened (rotated
    /// first if it was last written on an earlier day) at the first line.
    public init(directory: String, clock: any LogClock = SystemClock(), retentionDays: Int = 14) {
        rotation = DailyRotation(directory: directory, retentionDays: max(0, retentionDays))
        self.clock = clock
    }

    deinit {
        state.withWriteLock { state in
            if state.descriptor >= 0 { close(state.descriptor) }
        }
    }

    /// Writes the line of one finished request.
    public func record(_ entry: LogEntry) {
        append(tail: LogLine.requestTail(entry))
    }

    /// Writes a line that is not a request (startup, a worker moving files, …).
    public func note(_ level: LogLevel, _ message: String) {
        append(tail: LogLine.noteTail(level, message))
    }

    /// Lines dropped because the log could not be written.
    public var failureCount: Int {
        state.withReadLock { $0.failures }
    }

    /// The line is written under the shared read lock: requests never wait for each other, only for
    /// the rare writer that opens, rotates or gives up the file, or looks the zone's offset up again.
    /// So lines from concurrent requests may land a few microseconds out of time order; each still
    /// lands in its day's file.
    private func append(tail: [UInt8]) {
        let now = clock.now()
        let written = state.withReadLock { state -> Bool? in
            guard state.descriptor >= 0, let offset = state.zone?.seconds(at: now) else { return nil }
            let time = LocalTime(now, offset: offset)
            guard time.dayNumber <= state.fileDay else { return nil }
            return Self.line(time, tail).withUnsafeBytes { FileDescriptorIO.writeAll(state.descriptor, $0) }
        }
        switch written {
        case true?:
            if failing.load(ordering: .relaxed) { failing.store(false, ordering: .relaxed) }
        case false?:
            state.withWriteLock { fail(&$0, now: now) }
        case nil:
            openAndWrite(tail, now: now)
        }
    }

    private static func line(_ time: LocalTime, _ tail: [UInt8]) -> [UInt8] {
        var line: [UInt8] = []
        line.reserveCapacity(32 + tail.count)
        time.appendISO8601(to: &line)
        line.append(contentsOf: tail)
        return line
    }

    /// The first line, the first line of a new day or offset span, or a line after a failure.
    private func openAndWrite(_ tail: [UInt8], now: Date) {
        state.withWriteLock { state in
            let offset = state.zone?.seconds(at: now) ?? {
                let zone = ZoneOffset(clock.timeZone, at: now)
                state.zone = zone
                return zone.seconds
            }()
            let time = LocalTime(now, offset: offset)
            if state.descriptor >= 0, time.dayNumber > state.fileDay {
                close(state.descriptor)
                state.descriptor = -1
                rotation.archiveCurrentFile(asDay: state.fileDay)
            }
            if state.descriptor < 0 {
                openFile(&state, now: now, today: time.dayNumber)
            }
            let written = state.descriptor >= 0
                && Self.line(time, tail).withUnsafeBytes { FileDescriptorIO.writeAll(state.descriptor, $0) }
            if written {
                failing.store(false, ordering: .relaxed)
            } else {
                fail(&state, now: now)
            }
        }
    }

    private func openFile(_ state: inout State, now: Date, today: Int) {
        if let next = state.nextOpenAttempt, now < next { return }
        guard rotation.prepareDirectory() else { return }
        if let fileDay = rotation.dayOfCurrentFile(in: clock.timeZone), fileDay < today {
            rotation.archiveCurrentFile(asDay: fileDay)
        }
        rotation.deleteExpiredArchives(today: today)
        let descriptor = open(rotation.currentPath, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { return }
        state.descriptor = descriptor
        state.fileDay = today
        state.nextOpenAttempt = nil
    }

    private func fail(_ state: inout State, now: Date) {
        state.failures += 1
        if state.descriptor >= 0 {
            close(state.descriptor)
            state.descriptor = -1
        }
        if state.nextOpenAttempt.map({ now >= $0 }) ?? true {
            state.nextOpenAttempt = now.addingTimeInterval(1)
        }
        if !failing.exchange(true, ordering: .relaxed) {
            var bytes = "psyx: cannot write the log \(rotation.currentPath); lines are dropped until it can\n"
            _ = bytes.withUTF8 { FileDescriptorIO.writeAll(STDERR_FILENO, UnsafeRawBufferPointer($0)) }
        }
    }
}
