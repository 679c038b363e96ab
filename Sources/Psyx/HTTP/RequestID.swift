import Synchronization

/// Short ids that tie a client's error page to its log line: a random prefix drawn
/// once per process and a counter, so no request pays for a system random call.
enum RequestID {
    private static let prefix = hex(UInt64.random(in: 0...UInt64(UInt32.max)), digits: 8)
    private static let counter = Atomic<UInt64>(0)

    static func make() -> String {
        let next = counter.wrappingAdd(1, ordering: .relaxed).newValue
        return prefix + hex(next & 0xFFFF_FFFF, digits: 8)
    }

    private static func hex(_ value: UInt64, digits: Int) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }
}
