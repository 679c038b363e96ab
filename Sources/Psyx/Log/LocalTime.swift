import Foundation

/// A moment broken into local calendar fields by plain arithmetic (proleptic
/// Gregorian), so each log line costs one time-zone offset lookup and no
/// `DateFormatter` or `Calendar`.
struct LocalTime: Equatable, Sendable {
    /// Days since 1970-01-01 in local time: equal numbers mean the same local date.
    var dayNumber: Int
    var year: Int
    var month: Int
    var day: Int
    var hour: Int
    var minute: Int
    var second: Int
    var millisecond: Int
    /// Seconds east of UTC at this moment.
    var offset: Int

    init(_ date: Date, in timeZone: TimeZone) {
        self.init(date, offset: timeZone.secondsFromGMT(for: date))
    }

    /// With the zone's offset already known (`ZoneOffset` caches it: Foundation's lookup takes a lock).
    init(_ date: Date, offset: Int) {
        let seconds = date.timeIntervalSince1970
        // About ±30,000 years: beyond that the date is nonsense anyway, and this keeps Int math safe.
        let clamped = seconds.isFinite ? min(max(seconds, -1e12), 1e12) : 0
        self.offset = offset
        // Whole microseconds first, so an exact millisecond such as -0.001 s is not floored to -0.002 s.
        let microseconds = Int((clamped * 1_000_000).rounded())
        let localMilliseconds = Self.floorDivision(microseconds, 1000).quotient + offset * 1000
        let (days, withinDay) = Self.floorDivision(localMilliseconds, 86_400_000)
        dayNumber = days
        (year, month, day) = Self.civilDate(fromDayNumber: days)
        hour = withinDay / 3_600_000
        minute = withinDay / 60_000 % 60
        second = withinDay / 1000 % 60
        millisecond = withinDay % 1000
    }

    /// `2024-03-10T23:59:30.250+09:00`.
    var iso8601: String {
        var bytes: [UInt8] = []
        appendISO8601(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The ISO 8601 text written digit by digit: it starts every log line.
    func appendISO8601(to bytes: inout [UInt8]) {
        let offsetMinutes = abs(offset) / 60
        Self.appendPadded(year, 4, to: &bytes)
        bytes.append(UInt8(ascii: "-"))
        Self.appendPadded(month, 2, to: &bytes)
        bytes.append(UInt8(ascii: "-"))
        Self.appendPadded(day, 2, to: &bytes)
        bytes.append(UInt8(ascii: "T"))
        Self.appendPadded(hour, 2, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        Self.appendPadded(minute, 2, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        Self.appendPadded(second, 2, to: &bytes)
        bytes.append(UInt8(ascii: "."))
        Self.appendPadded(millisecond, 3, to: &bytes)
        bytes.append(UInt8(ascii: offset < 0 ? "-" : "+"))
        Self.appendPadded(offsetMinutes / 60, 2, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        Self.appendPadded(offsetMinutes % 60, 2, to: &bytes)
    }

    /// The day number of a calendar date, or nil when there is no such date (`20240231`).
    static func dayNumber(year: Int, month: Int, day: Int) -> Int? {
        guard (1...12).contains(month), (1...31).contains(day), abs(year) < 1_000_000 else { return nil }
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let number = era * 146_097 + dayOfEra - 719_468
        let roundTrip = civilDate(fromDayNumber: number)
        return roundTrip == (year, month, day) ? number : nil
    }

    /// Year, month and day of a day number (Howard Hinnant's `civil_from_days`).
    static func civilDate(fromDayNumber dayNumber: Int) -> (Int, Int, Int) {
        let shifted = dayNumber + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// `YYYYMMDD` for a day number, as in `api.20240310.log`.
    static func compactDate(ofDayNumber dayNumber: Int) -> String {
        let (year, month, day) = civilDate(fromDayNumber: dayNumber)
        return padded(year, 4) + padded(month, 2) + padded(day, 2)
    }

    private static func floorDivision(_ value: Int, _ divisor: Int) -> (quotient: Int, remainder: Int) {
        let remainder = value % divisor
        return remainder < 0 ? (value / divisor - 1, remainder + divisor) : (value / divisor, remainder)
    }

    private static func padded(_ value: Int, _ width: Int) -> String {
        var bytes: [UInt8] = []
        appendPadded(value, width, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `value` with leading zeros to `width` digits (a minus sign before them when negative).
    private static func appendPadded(_ value: Int, _ width: Int, to bytes: inout [UInt8]) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        var digits = 1
        var rest = value.magnitude
        while rest >= 10 {
            rest /= 10
            digits += 1
        }
        for _ in digits..<max(digits, width) { bytes.append(UInt8(ascii: "0")) }
        JSONText.appendInteger(value.magnitude, to: &bytes)
    }
}
