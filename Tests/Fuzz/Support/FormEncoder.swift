/// The inverse of `application/x-www-form-urlencoded` parsing, for round-trip
/// checks: names sorted, every byte but ALPHA / DIGIT / `-._~` percent-encoded,
/// spaces as `+`.
enum FormEncoder {
    static func encode(_ fields: [String: String]) -> [UInt8] {
        var out: [UInt8] = []
        for (index, name) in fields.keys.sorted().enumerated() {
            if index > 0 { out.append(UInt8(ascii: "&")) }
            append(name, to: &out)
            out.append(UInt8(ascii: "="))
            append(fields[name] ?? "", to: &out)
        }
        return out
    }

    static func append(_ text: String, to out: inout [UInt8]) {
        let hex = Array("0123456789ABCDEF".utf8)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
                 UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.append(byte)
            case UInt8(ascii: " "):
                out.append(UInt8(ascii: "+"))
            default:
                out.append(UInt8(ascii: "%"))
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0x0F)])
            }
        }
    }
}
