/// Small real images for tests: a valid 8×8 greyscale JPEG (made with libjpeg) and a PNG signature.
public enum TinyImages {
    public static let jpeg: [UInt8] = bytes(fromHex: "ffd8ffe000104a46494600010100000100010000ffdb0043000302020302020303030304030304050805050404050a070706080c0a0c0c0b0a0b0b0d0e12100d0e110e0b0b1016101113141515150c0f171816141812141514ffc0000b080008000801011100ffc4001f0000010501010101010100000000000000000102030405060708090a0bffc400b5100002010303020403050504040000017d01020300041105122131410613516107227114328191a1082342b1c11552d1f02433627282090a161718191a25262728292a3435363738393a434445464748494a535455565758595a636465666768696a737475767778797a838485868788898a92939495969798999aa2a3a4a5a6a7a8a9aab2b3b4b5b6b7b8b9bac2c3c4c5c6c7c8c9cad2d3d4d5d6d7d8d9dae1e2e3e4e5e6e7e8e9eaf1f2f3f4f5f6f7f8f9faffda0008010100003f00f8b3f67ffd9fff00e169fd9bfd1bcef331fc39afffd9")

    /// A PNG file's signature and IHDR start: enough for the magic-byte check.
    public static let pngHead: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]

    public static func bytes(fromHex hex: String) -> [UInt8] {
        var out: [UInt8] = []
        var iterator = hex.utf8.makeIterator()
        while let high = iterator.next(), let low = iterator.next() {
            out.append(UInt8(digit(high) << 4 | digit(low)))
        }
        return out
    }

    private static func digit(_ c: UInt8) -> Int {
        c <= 0x39 ? Int(c) - 0x30 : Int(c | 0x20) - 0x61 + 10
    }
}
