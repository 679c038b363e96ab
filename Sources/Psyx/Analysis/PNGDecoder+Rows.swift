/// Undoing PNG's per-row filters and reducing samples to one grey byte per pixel.
extension PNGDecoder {
    /// Reverses the filters in place; each row keeps its leading filter-type byte.
    static func unfilter(_ raw: inout [UInt8], _ header: PNGHeader) throws(ImageError) {
        let rowBytes = header.rowBytes, stride = header.filterStride
        var failure: Int?
        raw.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            for y in 0..<header.height {
                let row = base + y * (rowBytes + 1)
                let kind = row[0]
                let current = row + 1
                let above: UnsafeMutablePointer<UInt8>? = y == 0 ? nil : row - rowBytes
                switch kind {
                case 0:
                    break
                case 1:
                    for i in stride..<max(stride, rowBytes) { current[i] &+= current[i - stride] }
                case 2:
                    if let above { for i in 0..<rowBytes { current[i] &+= above[i] } }
                case 3:
                    for i in 0..<rowBytes {
                        let left = i >= stride ? Int(current[i - stride]) : 0
                        let up = above.map { Int($0[i]) } ?? 0
                        current[i] &+= UInt8(truncatingIfNeeded: (left + up) >> 1)
                    }
                case 4:
                    for i in 0..<rowBytes {
                        let left = i >= stride ? Int(current[i - stride]) : 0
                        let up = above.map { Int($0[i]) } ?? 0
                        let corner = i >= stride ? (above.map { Int($0[i - stride]) } ?? 0) : 0
                        current[i] &+= UInt8(truncatingIfNeeded: paeth(left, up, corner))
                    }
                default:
                    failure = Int(kind)
                    return
                }
            }
        }
        if let failure { throw ImageError("PNG: unknown filter type \(failure)") }
    }

    @inline(__always)
    static func paeth(_ a: Int, _ b: Int, _ c: Int) -> Int {
        let p = a + b - c
        let pa = abs(p - a), pb = abs(p - b), pc = abs(p - c)
        if pa <= pb && pa <= pc { return a }
        return pb <= pc ? b : c
    }

    /// One grey byte per pixel: luma (0.299 R + 0.587 G + 0.114 B) for colour, the high part of
    /// 16-bit samples, low bit depths stretched to 0…255; alpha is ignored.
    static func grey(_ raw: [UInt8], _ header: PNGHeader, palette: [UInt8]) throws(ImageError) -> GreyImage {
        let width = header.width, height = header.height, rowBytes = header.rowBytes
        let depth = header.bitDepth, channels = header.channels
        let sampleBytes = depth == 16 ? 2 : 1
        var out = [UInt8](repeating: 0, count: width * height)
        var badIndex = false
        let paletteGrey: [UInt8] = stride(from: 0, to: palette.count - 2, by: 3).map {
            luma(Int(palette[$0]), Int(palette[$0 + 1]), Int(palette[$0 + 2]))
        }
        raw.withUnsafeBufferPointer { source in
            out.withUnsafeMutableBufferPointer { target in
                for y in 0..<height {
                    let row = y * (rowBytes + 1) + 1
                    let line = y * width
                    if depth < 8 {
                        let perByte = 8 / depth, mask = (1 << depth) - 1
                        for x in 0..<width {
                            let byte = Int(source[row + x / perByte])
                            let value = (byte >> (8 - depth * (x % perByte + 1))) & mask
                            if header.colorType == 3 {
                                guard value < paletteGrey.count else { badIndex = true; return }
                                target[line + x] = paletteGrey[value]
                            } else {
                                target[line + x] = UInt8(value * 255 / mask)
                            }
                        }
                        continue
                    }
                    for x in 0..<width {
                        let pixel = row + x * channels * sampleBytes
                        switch header.colorType {
                        case 2, 6:
                            target[line + x] = luma(Int(source[pixel]), Int(source[pixel + sampleBytes]),
                                                    Int(source[pixel + 2 * sampleBytes]))
                        case 3:
                            let index = Int(source[pixel])
                            guard index < paletteGrey.count else { badIndex = true; return }
                            target[line + x] = paletteGrey[index]
                        default:
                            target[line + x] = source[pixel]
                        }
                    }
                }
            }
        }
        if badIndex { throw ImageError("PNG: palette index outside the palette") }
        return GreyImage(width: width, height: height, pixels: out)
    }

    @inline(__always)
    static func luma(_ red: Int, _ green: Int, _ blue: Int) -> UInt8 {
        UInt8((299 * red + 587 * green + 114 * blue + 500) / 1000)
    }
}
