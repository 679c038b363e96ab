/// Reads a PNG held in memory into grey: chunks checked (CRC), image data inflated with zlib,
/// rows unfiltered, colour reduced to luma. Anything malformed throws; nothing traps.
public enum PNGDecoder {
    static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    public static func decodeGrey(_ bytes: [UInt8]) throws(ImageError) -> GreyImage {
        guard bytes.starts(with: signature) else { throw ImageError("PNG: no PNG signature") }
        var header: PNGHeader?
        var palette: [UInt8] = []
        var compressed: [UInt8] = []
        var offset = signature.count
        var ended = false
        while !ended {
            guard bytes.count - offset >= 12 else { throw ImageError("PNG: file ends inside a chunk") }
            let length = Int(bigEndian(bytes, at: offset))
            guard length <= bytes.count - offset - 12 else { throw ImageError("PNG: chunk longer than the file") }
            let type = String(decoding: bytes[(offset + 4)..<(offset + 8)], as: UTF8.self)
            let data = bytes[(offset + 8)..<(offset + 8 + length)]
            let stored = bigEndian(bytes, at: offset + 8 + length)
            guard Zlib.crc32(bytes[(offset + 4)..<(offset + 8 + length)]) == stored else {
                throw ImageError("PNG: bad CRC in chunk \(type)")
            }
            offset += 12 + length
            switch type {
            case "IHDR":
                guard header == nil else { throw ImageError("PNG: second IHDR") }
                header = try PNGHeader(data)
            case "PLTE":
                guard data.count % 3 == 0, data.count <= 768 else { throw ImageError("PNG: bad palette") }
                palette = Array(data)
            case "IDAT":
                guard header != nil else { throw ImageError("PNG: image data before IHDR") }
                compressed.append(contentsOf: data)
            case "IEND":
                ended = true
            default:
                guard header != nil || type == "IHDR" else { throw ImageError("PNG: first chunk is not IHDR") }
            }
        }
        guard let header else { throw ImageError("PNG: no IHDR") }
        guard !compressed.isEmpty else { throw ImageError("PNG: no image data") }
        if header.colorType == 3, palette.isEmpty { throw ImageError("PNG: palette image without PLTE") }
        var raw = try Zlib.inflate(compressed, expectedCount: header.height * (header.rowBytes + 1))
        try unfilter(&raw, header)
        return try grey(raw, header, palette: palette)
    }

    static func bigEndian(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        UInt32(bytes[offset]) << 24 | UInt32(bytes[offset + 1]) << 16 | UInt32(bytes[offset + 2]) << 8 | UInt32(bytes[offset + 3])
    }
}
