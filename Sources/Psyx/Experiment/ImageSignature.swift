/// Tells a real JPEG or PNG by its first bytes, whatever its name says.
enum ImageSignature {
    static let bytesNeeded = 8

    static func isImage(_ head: [UInt8]) -> Bool {
        isJPEG(head) || isPNG(head)
    }

    static func isJPEG(_ head: [UInt8]) -> Bool {
        head.count >= 3 && head[0] == 0xFF && head[1] == 0xD8 && head[2] == 0xFF
    }

    static func isPNG(_ head: [UInt8]) -> Bool {
        head.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
    }
}
