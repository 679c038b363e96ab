import CJPEGShim

/// JPEG through libjpeg, via the C shim that turns libjpeg's exit-on-error into an error code.
public enum JPEGCodec {
    /// Decodes to grey (libjpeg's own luma for colour files). Corrupt or truncated data throws.
    public static func decodeGrey(_ bytes: [UInt8]) throws(ImageError) -> GreyImage {
        var result = psyx_jpeg_grey()
        let status = bytes.withUnsafeBufferPointer { buffer in
            psyx_jpeg_decode_grey(buffer.baseAddress, buffer.count, GreyImage.maxPixels, &result)
        }
        guard status == 0, let pixels = result.pixels, result.width > 0, result.height > 0 else {
            throw ImageError("JPEG: " + message(&result.message))
        }
        defer { psyx_jpeg_free(pixels) }
        let count = Int(result.width) * Int(result.height)
        return GreyImage(width: Int(result.width), height: Int(result.height),
                         pixels: Array(UnsafeBufferPointer(start: pixels, count: count)))
    }

    /// A baseline grey JPEG (used to generate synthetic packs for tests and the benchmark).
    public static func encodeGrey(_ image: GreyImage, quality: Int) throws(ImageError) -> [UInt8] {
        guard (1...65_500).contains(image.width), (1...65_500).contains(image.height),
              image.pixels.count == image.width * image.height else {
            throw ImageError("JPEG: pixel count does not match the size")
        }
        var out: UnsafeMutablePointer<UInt8>?
        var size = 0
        var text = [CChar](repeating: 0, count: 200)
        let status = image.pixels.withUnsafeBufferPointer { pixels in
            psyx_jpeg_encode_grey(pixels.baseAddress, Int32(image.width), Int32(image.height), Int32(quality),
                                  &out, &size, &text, text.count)
        }
        guard status == 0, let out else {
            throw ImageError("JPEG: " + String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        defer { psyx_jpeg_free(out) }
        return Array(UnsafeBufferPointer(start: out, count: size))
    }

    private static func message<T>(_ tuple: inout T) -> String {
        withUnsafeBytes(of: &tuple) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
    }
}
