import Foundation

/// Where the log gets "now" and the local time zone from, so tests can cross
/// midnight in any zone without waiting for it.
public protocol LogClock: Sendable {
    func now() -> Date
    /// The zone whose midnight starts a new daily file and whose offset the lines show.
    var timeZone: TimeZone { get }
}
