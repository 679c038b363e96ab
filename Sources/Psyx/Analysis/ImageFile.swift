import Foundation

/// A pack image file read as grey, by what its bytes are (not what its name says).
public enum ImageFile {
    public static func decodeGrey(_ bytes: [UInt8]) throws(ImageError) -> GreyImage {
        if ImageSignature.isJPEG(bytes) { return try JPEGCodec.decodeGrey(bytes) }
        if ImageSignature.isPNG(bytes) { return try PNGDecoder.decodeGrey(bytes) }
        throw ImageError("neither a JPEG nor a PNG")
    }

    public static func readGrey(path: String) throws(ImageError) -> GreyImage {
        guard let data = FileManager.default.contents(atPath: path) else { throw ImageError("cannot be read") }
        return try decodeGrey([UInt8](data))
    }
}
