import Foundation

/// A time zone's offset from UTC and the span it holds for: until the zone's next
/// daylight-saving transition, and at most an hour. Foundation's `secondsFromGMT(for:)`
/// takes a process-wide lock, which every request's log line contended for.
struct ZoneOffset: Sendable {
    let seconds: Int
    private let from: Date
    private let until: Date

    init(_ zone: TimeZone, at now: Date) {
        seconds = zone.secondsFromGMT(for: now)
        from = now
        let hourLater = now.addingTimeInterval(3600)
        until = zone.nextDaylightSavingTimeTransition(after: now).map { min($0, hourLater) } ?? hourLater
    }

    /// The offset at `date`, or nil when `date` is outside the span (look the zone up again).
    func seconds(at date: Date) -> Int? {
        date >= from && date < until ? seconds : nil
    }
}
