/// An 8-bit greyscale picture, row by row: what every pack image is reduced to for the analysis.
public struct GreyImage: Equatable, Sendable {
    public var width: Int
    public var height: Int
    /// `width * height` grey levels, 0 black … 255 white.
    public var pixels: [UInt8]

    public init(width: Int, height: Int, pixels: [UInt8]) {
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// The largest picture the decoders accept: a decompression bomb stays a clear error.
    public static let maxPixels = 4096 * 4096

    /// A smaller copy that fits in `side × side`, each pixel the mean of the block it covers
    /// (for thumbnails); the image itself when it already fits.
    public func fitted(in side: Int) -> GreyImage {
        guard side > 0, width > side || height > side else { return self }
        let scale = Double(max(width, height)) / Double(side)
        let newWidth = max(1, Int((Double(width) / scale).rounded()))
        let newHeight = max(1, Int((Double(height) / scale).rounded()))
        var out = [UInt8](repeating: 0, count: newWidth * newHeight)
        pixels.withUnsafeBufferPointer { source in
            for y in 0..<newHeight {
                let y0 = y * height / newHeight, y1 = max(y0 + 1, (y + 1) * height / newHeight)
                for x in 0..<newWidth {
                    let x0 = x * width / newWidth, x1 = max(x0 + 1, (x + 1) * width / newWidth)
                    var sum = 0
                    for row in y0..<y1 {
                        for column in x0..<x1 { sum += Int(source[row * width + column]) }
                    }
                    let count = (y1 - y0) * (x1 - x0)
                    out[y * newWidth + x] = UInt8((sum + count / 2) / count)
                }
            }
        }
        return GreyImage(width: newWidth, height: newHeight, pixels: out)
    }
}
