import Foundation

/// Pack images in `pack_files`: inserted with the pack (inside its create's transaction), read by
/// responders that have no copy yet. bytea travels in PostgreSQL's hex text form (`\x…`).
extension PostgreSQLStore: SharedPackFiles {
    func packFileNames(id: Int64, name: String) throws -> [String]? {
        try read { db in
            let result = try db.execute("""
                SELECT f.name FROM packs p JOIN pack_files f ON f.p_id = p.p_id
                WHERE p.p_id = $1 AND p.pack_name = $2 ORDER BY f.name
                """, [id, name])
            return result.rowCount > 0 ? try result.rows.map { try $0.text(0) } : nil
        }
    }

    func packFile(id: Int64, file: String) throws -> [UInt8]? {
        try read { db in
            try db.execute("SELECT bytes FROM pack_files WHERE p_id = $1 AND name = $2", [id, file]).first
                .map { try Self.bytes(fromHex: try $0.text(0)) }
        }
    }

    func packFileSizes() throws -> [String: [String: Int]] {
        try read { db in
            var sizes: [String: [String: Int]] = [:]
            let result = try db.execute("SELECT p.pack_name, f.name, octet_length(f.bytes) FROM packs p JOIN pack_files f ON f.p_id = p.p_id")
            for row in result.rows { sizes[try row.text(0), default: [:]][try row.text(1)] = Int(try row.int64(2)) }
            return sizes
        }
    }

    func packExists(id: Int64, name: String) throws -> Bool {
        try read { db in try db.execute("SELECT 1 FROM packs WHERE p_id = $1 AND pack_name = $2", [id, name]).rowCount > 0 }
    }

    /// Every regular file directly in `folder`, one statement each (a pack's images are 30-300 MB:
    /// no statement holds more than one file).
    static func insertFiles(of folder: String, packID: Int64, into db: PostgreSQLConnection) throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
        for name in names {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: folder + "/" + name, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
            let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: folder + "/" + name)))
            try db.execute("INSERT INTO pack_files (p_id, name, bytes) VALUES ($1, $2, $3::bytea)", [packID, name, hex(bytes)])
        }
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8](repeating: 0, count: 2 + bytes.count * 2)
        out[0] = 0x5C  // backslash
        out[1] = 0x78  // x
        for (index, byte) in bytes.enumerated() {
            out[2 + index * 2] = digits[Int(byte >> 4)]
            out[3 + index * 2] = digits[Int(byte & 0xF)]
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func bytes(fromHex text: String) throws -> [UInt8] {
        let utf8 = Array(text.utf8)
        guard utf8.count >= 2, utf8[0] == 0x5C, utf8[1] == 0x78, utf8.count % 2 == 0 else {
            throw PostgreSQLError(.unexpectedValue, message: "bytea is not in hex form")
        }
        func value(_ c: UInt8) throws -> UInt8 {
            switch c {
            case 0x30...0x39: return c - 0x30
            case 0x61...0x66: return c - 0x61 + 10
            case 0x41...0x46: return c - 0x41 + 10
            default: throw PostgreSQLError(.unexpectedValue, message: "bytea has a non-hex digit")
            }
        }
        var out = [UInt8]()
        out.reserveCapacity((utf8.count - 2) / 2)
        var index = 2
        while index < utf8.count {
            out.append(try value(utf8[index]) << 4 | value(utf8[index + 1]))
            index += 2
        }
        return out
    }
}
