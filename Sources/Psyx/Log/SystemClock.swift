import Foundation

/// The real clock in the machine's local time zone (read once, at creation).
public struct SystemClock: LogClock {
    public let timeZone: TimeZone

    public init() {
        timeZone = TimeZone.current
    }

    public func now() -> Date {
        Date()
    }
}
