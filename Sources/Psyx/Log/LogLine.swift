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

    /// Everything after the time, built as bytes outside the log's lock (only the time is read under it).
    static func requestTail(_ entry: LogEntry) -> [UInt8] {
        var text = head(entry.level)
        appendColumn(entry.requestID, to: &text)
        appendColumn(entry.method, to: &text)
        appendColumn(entry.route, to: &text)
        text.append(0x09)
        JSONText.appendInteger(entry.status, to: &text)
        text.append(0x09)
        appendMilliseconds(entry.durationMilliseconds, to: &text)
        appendColumn(entry.client, to: &text)
        appendColumn(entry.user, to: &text)
        appendColumn(entry.message, to: &text)
        text.append(0x0A)
        return text
    }

    static func noteTail(_ level: LogLevel, _ message: String) -> [UInt8] {
        var text = head(level)
        text.append(contentsOf: Array(repeating: "\t-".utf8, count: 7).joined())
        appendColumn(message, to: &text)
        text.append(0x0A)
        return text
    }

    private static func head(_ level: LogLevel) -> [UInt8] {
        var text: [UInt8] = []
        text.reserveCapacity(160)
        text.append(0x09)
        text.append(contentsOf: level.rawValue.utf8)
        return text
    }

    /// Tenths of a millisecond, e.g. `12.3`; anything not a sensible duration is `0.0`.
    static func milliseconds(_ value: Double) -> String {
        var bytes: [UInt8] = []
        appendMilliseconds(value, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func appendMilliseconds(_ value: Double, to text: inout [UInt8]) {
        let tenths = value.isFinite && value > 0 ? Int((min(value, 1e12) * 10).rounded()) : 0
        JSONText.appendInteger(tenths / 10, to: &text)
        text.append(0x2E)
        text.append(UInt8(0x30 + tenths % 10))
    }

    static func escaped(_ column: String?) -> String {
        var bytes: [UInt8] = []
        appendEscaped(column, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func appendColumn(_ column: String?, to text: inout [UInt8]) {
        text.append(0x09)
        appendEscaped(column, to: &text)
    }

    /// Plain printable ASCII (what nearly every column is) is copied as it is; anything else
    /// goes through the escaping below.
    private static func appendEscaped(_ column: String?, to text: inout [UInt8]) {
        guard var column, !column.isEmpty else { return text.append(0x2D) }
        let plain = column.withUTF8 { bytes -> Bool in
            guard bytes.count <= maximumColumnLength else { return false }
            for byte in bytes where byte < 0x20 || byte > 0x7E || byte == 0x5C { return false }
            text.append(contentsOf: bytes)
            return true
        }
        if plain { return }
        let scalars = column.unicodeScalars
        var escaped = ""
        for scalar in scalars.prefix(maximumColumnLength) {
            switch scalar {
            case "\\": escaped += "\\\\"
            case "\t": escaped += "\\t"
            case "\n": escaped += "\\n"
            case "\r": escaped += "\\r"
            case _ where needsEscape(scalar):
                let hex = String(scalar.value, radix: 16, uppercase: true)
                escaped += "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        text.append(contentsOf: escaped.utf8)
        if scalars.count > maximumColumnLength { text.append(contentsOf: "…".utf8) }
    }

    private static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        if scalar == "\\" { return true }
        switch scalar.properties.generalCategory {
        case .control, .lineSeparator, .paragraphSeparator: return true
        default: return false
        }
    }
}
