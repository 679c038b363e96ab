/// Writes bytes into a buffer whose size the caller computed beforehand (submit's stored answers):
/// no capacity checks or growth per append, and a text built in place needs no copy afterwards.
struct ByteWriter {
    private let buffer: UnsafeMutableBufferPointer<UInt8>
    private(set) var count = 0

    init(_ buffer: UnsafeMutableBufferPointer<UInt8>) {
        self.buffer = buffer
    }

    mutating func put(_ bytes: UInt8...) {
        for byte in bytes { put(byte) }
    }

    mutating func put(_ byte: UInt8) {
        precondition(count < buffer.count, "ByteWriter: more bytes than were counted")
        buffer[count] = byte
        count += 1
    }

    mutating func put(_ source: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) {
        precondition(range.count <= buffer.count - count, "ByteWriter: more bytes than were counted")
        guard let from = source.baseAddress, let to = buffer.baseAddress, !range.isEmpty else { return }
        (to + count).update(from: from + range.lowerBound, count: range.count)
        count += range.count
    }

    mutating func put(_ text: String) {
        var text = text
        text.withUTF8 { put($0, 0..<$0.count) }
    }
}
