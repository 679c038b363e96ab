/// Writes an 8-bit greyscale PNG: IHDR, one IDAT (rows with the Up filter, deflated by zlib), IEND.
public enum PNGEncoder {
    /// zlib level: fast enough for a live admin page, still well compressed.
    static let level: Int32 = 4

    public static func encode(_ image: GreyImage) throws(ImageError) -> [UInt8] {
        let width = image.width, height = image.height
        guard width > 0, height > 0, width <= GreyImage.maxPixels, height <= GreyImage.maxPixels,
              image.pixels.count == width * height else {
            throw ImageError("PNG: pixel count does not match the size")
        }
        var rows = [UInt8](repeating: 0, count: height * (width + 1))
        image.pixels.withUnsafeBufferPointer { pixels in
            rows.withUnsafeMutableBufferPointer { out in
                for y in 0..<height {
                    let target = y * (width + 1)
                    let line = y * width
                    if y == 0 {
                        out[target] = 0
                        for x in 0..<width { out[target + 1 + x] = pixels[x] }
                    } else {
                        out[target] = 2
                        for x in 0..<width { out[target + 1 + x] = pixels[line + x] &- pixels[line - width + x] }
                    }
                }
            }
        }
        var file = PNGDecoder.signature
        var header: [UInt8] = []
        appendBigEndian(UInt32(width), to: &header)
        appendBigEndian(UInt32(height), to: &header)
        header += [8, 0, 0, 0, 0]  // 8-bit, greyscale, deflate, adaptive filters, no interlace
        appendChunk("IHDR", header, to: &file)
        appendChunk("IDAT", try Zlib.deflate(rows, level: level), to: &file)
        appendChunk("IEND", [], to: &file)
        return file
    }

    static func appendChunk(_ type: String, _ data: [UInt8], to file: inout [UInt8]) {
        appendBigEndian(UInt32(truncatingIfNeeded: data.count), to: &file)
        let start = file.count
        file.append(contentsOf: type.utf8)
        file.append(contentsOf: data)
        appendBigEndian(Zlib.crc32(file[start...]), to: &file)
    }

    static func appendBigEndian(_ value: UInt32, to bytes: inout [UInt8]) {
        bytes += [UInt8(value >> 24), UInt8(truncatingIfNeeded: value >> 16), UInt8(truncatingIfNeeded: value >> 8),
                  UInt8(truncatingIfNeeded: value)]
    }
}
