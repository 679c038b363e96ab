@testable import FastCGI

/// The 1 MiB body `/stream` sends, in pieces of uneven sizes (one larger than a record).
enum StreamedBody {
    static let count = 1 << 20
    static let pieceSizes = [1, 7_777, 100_000, 65_535, 65_536, 4_096]

    @Sendable static func write(to sink: any BodySink) throws {
        var offset = 0
        var turn = 0
        while offset < count {
            let size = min(pieceSizes[turn % pieceSizes.count], count - offset)
            try sink.write(Pattern.bytes(size, seed: offset))
            offset += size
            turn += 1
        }
    }
}
