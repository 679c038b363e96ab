import Synchronization

/// Short ids that tie a client's error page to its log line: a random prefix drawn
/// once per process and a counter, so no request pays for a system random call.
enum RequestID {
    private static let prefix = hexDigits(UInt64.random(in: 0...UInt64(UInt32.max)))
    private static let counter = Atomic<UInt64>(0)

    static func make() -> String {
        let next = counter.wrappingAdd(1, ordering: .relaxed).newValue
        return String(decoding: prefix + hexDigits(next & 0xFFFF_FFFF), as: UTF8.self)
    }

    /// The low 32 bits as eight lowercase hex digits.
    private static func hexDigits(_ value: UInt64) -> [UInt8] {
        (0..<8).reversed().map { shift in
            let digit = UInt8(truncatingIfNeeded: value >> (UInt64(shift) * 4)) & 0xF
            return digit < 10 ? 0x30 + digit : 0x57 + digit
        }
    }
}
