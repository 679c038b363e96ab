/// A PNG's IHDR, checked: the kinds of PNG the analysis reads (any colour type, bit depths PNG
/// allows for it, no interlacing) and a size within `GreyImage.maxPixels`.
struct PNGHeader: Equatable {
    var width: Int
    var height: Int
    var bitDepth: Int
    /// 0 grey, 2 RGB, 3 palette, 4 grey + alpha, 6 RGBA.
    var colorType: Int

    init(_ data: ArraySlice<UInt8>) throws(ImageError) {
        guard data.count == 13 else { throw ImageError("PNG: IHDR of \(data.count) bytes") }
        let bytes = Array(data)
        width = Int(PNGDecoder.bigEndian(bytes, at: 0))
        height = Int(PNGDecoder.bigEndian(bytes, at: 4))
        bitDepth = Int(bytes[8])
        colorType = Int(bytes[9])
        guard width > 0, height > 0, width <= GreyImage.maxPixels, height <= GreyImage.maxPixels,
              width * height <= GreyImage.maxPixels else {
            throw ImageError("PNG: image of \(width)x\(height) pixels is outside the accepted size")
        }
        let depths: [Int: [Int]] = [0: [1, 2, 4, 8, 16], 2: [8, 16], 3: [1, 2, 4, 8], 4: [8, 16], 6: [8, 16]]
        guard let allowed = depths[colorType], allowed.contains(bitDepth) else {
            throw ImageError("PNG: colour type \(colorType) with bit depth \(bitDepth) is not valid")
        }
        guard bytes[10] == 0, bytes[11] == 0 else { throw ImageError("PNG: unknown compression or filter method") }
        guard bytes[12] == 0 else { throw ImageError("PNG: interlaced images are not supported") }
    }

    var channels: Int {
        switch colorType {
        case 2: 3
        case 4: 2
        case 6: 4
        default: 1
        }
    }

    /// Bytes of one unfiltered row (without the filter-type byte).
    var rowBytes: Int { (width * channels * bitDepth + 7) / 8 }

    /// The distance to the corresponding byte of the previous pixel, for the filters.
    var filterStride: Int { max(1, channels * bitDepth / 8) }
}
