/// Undoing PNG's per-row filters and reducing samples to one grey byte per pixel.
extension PNGDecoder {
    /// Reverses the filters in place; each row keeps its leading filter-type byte. The row above
    /// the first is a row of zeros, as PNG defines it.
    static func unfilter(_ raw: inout [UInt8], _ header: PNGHeader) throws(ImageError) {
        let rowBytes = header.rowBytes, stride = header.filterStride
        let zeros = [UInt8](repeating: 0, count: rowBytes)
        var failure: Int?
        zeros.withUnsafeBufferPointer { zeroRow in
            raw.withUnsafeMutableBufferPointer { buffer in
                guard let base = buffer.baseAddress, let zeroBase = zeroRow.baseAddress else { return }
                for y in 0..<header.height {
                    let row = base + y * (rowBytes + 1)
                    let current = row + 1
                    let above = y == 0 ? UnsafePointer(zeroBase) : UnsafePointer(row - rowBytes)
                    switch row[0] {
                    case 0:
                        break
                    case 1:
                        for i in stride..<max(stride, rowBytes) { current[i] &+= current[i - stride] }
                    case 2:
                        for i in 0..<rowBytes { current[i] &+= above[i] }
                    case 3:
                        for i in 0..<min(stride, rowBytes) { current[i] &+= above[i] >> 1 }
                        for i in stride..<max(stride, rowBytes) {
                            current[i] &+= UInt8(truncatingIfNeeded: (Int(current[i - stride]) + Int(above[i])) >> 1)
                        }
                    case 4:
                        for i in 0..<min(stride, rowBytes) { current[i] &+= above[i] }  // Paeth with a = c = 0 picks b
                        for i in stride..<max(stride, rowBytes) {
                            current[i] &+= UInt8(truncatingIfNeeded: paeth(Int(current[i - stride]), Int(above[i]), Int(above[i - stride])))
                        }
                    default:
                        failure = Int(row[0])
                        return
                    }
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
                    let step = channels * sampleBytes
                    switch header.colorType {
                    case 2, 6:
                        for x in 0..<width {
                            let pixel = row + x * step
                            target[line + x] = luma(Int(source[pixel]), Int(source[pixel + sampleBytes]),
                                                    Int(source[pixel + 2 * sampleBytes]))
                        }
                    case 3:
                        for x in 0..<width {
                            let index = Int(source[row + x])
                            guard index < paletteGrey.count else { badIndex = true; return }
                            target[line + x] = paletteGrey[index]
                        }
                    default:
                        for x in 0..<width { target[line + x] = source[row + x * step] }
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
