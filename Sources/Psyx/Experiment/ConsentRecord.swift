import Foundation

/// A submit's `"consent": {"at": ISO-8601 UTC, "version": "<16 hex>"}` (PackSettings.md): required
/// when the pack has consent text, ignored when it has none. The version is stored as sent: the
/// page may have shown an earlier text than the pack's current one (the researcher changed it while
/// the participant answered), and the reply records what was agreed to.
struct ConsentRecord: Equatable {
    /// As sent (checked to be UTC within the last 7 days and at most 5 minutes ahead).
    var at: String
    var version: String

    static let maxAge: TimeInterval = 7 * 24 * 3600
    static let maxAhead: TimeInterval = 5 * 60

    /// nil for a pack without consent text; `Consent Required` when it has one and none was sent,
    /// `Invalid Consent` for anything but a valid record.
    init?(_ value: JSONValue?, settings: PackSettings, now: Date) throws(APIError) {
        guard !settings.consent.isEmpty else { return nil }
        guard let value, value != .null else { throw .badRequest("Consent Required") }
        guard let object = value.objectValue, let at = object["at"]?.stringValue, let version = object["version"]?.stringValue,
              Self.isVersion(version), let date = Self.date(at),
              date >= now.addingTimeInterval(-Self.maxAge), date <= now.addingTimeInterval(Self.maxAhead) else {
            throw .badRequest("Invalid Consent")
        }
        self.at = at
        self.version = version
    }

    /// 16 lower-case hex digits.
    static func isVersion(_ text: String) -> Bool {
        text.utf8.count == 16 && text.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }

    /// `2026-12-06T20:15:03Z` or with a fraction (`….123Z`, as JavaScript's `toISOString`): UTC only.
    static func date(_ text: String) -> Date? {
        guard text.utf8.count <= 40, text.hasSuffix("Z") else { return nil }
        let plain = ISO8601DateFormatter()
        if let date = plain.date(from: text) { return date }
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return fractional.date(from: text)
    }
}
