import CZlib

/// zlib's one-shot calls, as PNG needs them: a whole zlib stream in, a known amount out.
enum Zlib {
    /// Inflates `data` into exactly `expectedCount` bytes; a shorter, longer or corrupt stream throws.
    static func inflate(_ data: [UInt8], expectedCount: Int) throws(ImageError) -> [UInt8] {
        guard expectedCount > 0 else { throw ImageError("PNG: empty image data") }
        var out = [UInt8](repeating: 0, count: expectedCount)
        var length = uLongf(expectedCount)
        let status = out.withUnsafeMutableBufferPointer { output in
            data.withUnsafeBufferPointer { input in
                uncompress(output.baseAddress, &length, input.baseAddress, uLong(input.count))
            }
        }
        switch status {
        case Z_OK where Int(length) == expectedCount: return out
        case Z_OK: throw ImageError("PNG: image data ends early (\(length) of \(expectedCount) bytes)")
        case Z_BUF_ERROR: throw ImageError("PNG: image data truncated or larger than the image")
        case Z_MEM_ERROR: throw ImageError("PNG: out of memory")
        default: throw ImageError("PNG: corrupt compressed image data")
        }
    }

    /// A zlib stream of `data` (PNG's IDAT content).
    static func deflate(_ data: [UInt8], level: Int32) throws(ImageError) -> [UInt8] {
        var length = compressBound(uLong(data.count))
        var out = [UInt8](repeating: 0, count: Int(length))
        let status = out.withUnsafeMutableBufferPointer { output in
            data.withUnsafeBufferPointer { input in
                compress2(output.baseAddress, &length, input.baseAddress, uLong(input.count), level)
            }
        }
        // compressBound makes Z_BUF_ERROR impossible; Z_MEM_ERROR remains.
        guard status == Z_OK else { throw ImageError("PNG: compression failed (zlib status \(status))") }
        out.removeSubrange(Int(length)...)
        return out
    }

    static func crc32(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        bytes.withUnsafeBufferPointer { buffer in
            UInt32(truncatingIfNeeded: CZlib.crc32(0, buffer.baseAddress, uInt(buffer.count)))
        }
    }
}
