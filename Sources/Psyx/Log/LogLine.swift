import Foundation

/// The text of one log line: ten tab-separated columns
///
///     time  level  request-id  method  route  status  duration-ms  client  user  message
///
/// e.g. `2024-03-10T23:59:30.250+09:00	WARN	7f3a…	POST	/api/reply/start	400	3.2	10.0.0.7	-	Invalid Age`.
/// An empty or absent value is `-`, so every line has ten columns (`cut -f`, `awk -F'\t'`).
/// Notes that are not requests fill the request columns with `-`. Inside a column
/// `\` `\t` `\n` `\r` are written as those escapes and other control characters as
/// `\uXXXX`, so a line is always one line; a column is cut to 1024 characters.
enum LogLine {
    static let maximumColumnLength = 1024

    static func request(_ entry: LogEntry, at time: LocalTime) -> String {
        time.iso8601 + requestTail(entry)
    }

    static func note(_ level: LogLevel, _ message: String, at time: LocalTime) -> String {
        time.iso8601 + noteTail(level, message)
    }

    /// Everything after the time, built outside the log's lock (only the time is read under it).
    static func requestTail(_ entry: LogEntry) -> String {
        tail(entry.level, [
            entry.requestID, entry.method, entry.route, String(entry.status),
            milliseconds(entry.durationMilliseconds), entry.client, entry.user, entry.message,
        ])
    }

    static func noteTail(_ level: LogLevel, _ message: String) -> String {
        tail(level, [nil, nil, nil, nil, nil, nil, nil, message])
    }

    private static func tail(_ level: LogLevel, _ columns: [String?]) -> String {
        var text = "\t" + level.rawValue
        for column in columns {
            text += "\t"
            text += escaped(column)
        }
        return text + "\n"
    }

    /// Tenths of a millisecond, e.g. `12.3`; anything not a sensible duration is `0.0`.
    static func milliseconds(_ value: Double) -> String {
        guard value.isFinite, value > 0 else { return "0.0" }
        let tenths = Int((min(value, 1e12) * 10).rounded())
        return String(tenths / 10) + "." + String(tenths % 10)
    }

    static func escaped(_ column: String?) -> String {
        guard let column, !column.isEmpty else { return "-" }
        let scalars = column.unicodeScalars
        guard scalars.count > maximumColumnLength || scalars.contains(where: needsEscape) else { return column }
        var text = ""
        for scalar in scalars.prefix(maximumColumnLength) {
            switch scalar {
            case "\\": text += "\\\\"
            case "\t": text += "\\t"
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case _ where needsEscape(scalar):
                let hex = String(scalar.value, radix: 16, uppercase: true)
                text += "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
            default: text.unicodeScalars.append(scalar)
            }
        }
        return scalars.count > maximumColumnLength ? text + "…" : text
    }

    private static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        if scalar == "\\" { return true }
        switch scalar.properties.generalCategory {
        case .control, .lineSeparator, .paragraphSeparator: return true
        default: return false
        }
    }
}
