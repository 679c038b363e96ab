import CZlib

/// A raw deflate stream (RFC 1951, the method zip entries use) fed in pieces: memory stays at
/// zlib's window whatever the amount of input.
final class DeflateStream {
    private var stream = z_stream()
    private var buffer = [UInt8](repeating: 0, count: 64 * 1024)
    private var open = false

    init(level: Int32 = 6) throws {
        guard psyx_deflate_init_raw(&stream, level) == Z_OK else { throw ExportError("deflate could not start") }
        open = true
    }

    deinit {
        if open { deflateEnd(&stream) }
    }

    /// Compresses `input`, handing each piece of output to `emit` as it is ready.
    func write(_ input: UnsafeRawBufferPointer, emit: ([UInt8]) throws -> Void) throws {
        guard let base = input.baseAddress, input.count > 0 else { return }
        stream.next_in = UnsafeMutablePointer(mutating: base.assumingMemoryBound(to: Bytef.self))
        stream.avail_in = uInt(input.count)
        try run(flush: Z_NO_FLUSH, emit: emit)
        stream.next_in = nil
    }

    /// Ends the stream: the last output, then the stream is closed.
    func finish(emit: ([UInt8]) throws -> Void) throws {
        try run(flush: Z_FINISH, emit: emit)
        deflateEnd(&stream)
        open = false
    }

    private func run(flush: Int32, emit: ([UInt8]) throws -> Void) throws {
        repeat {
            let produced: Int = try buffer.withUnsafeMutableBufferPointer { out in
                stream.next_out = out.baseAddress
                stream.avail_out = uInt(out.count)
                let status = deflate(&stream, flush)
                guard status == Z_OK || status == Z_STREAM_END || status == Z_BUF_ERROR else {
                    throw ExportError("deflate failed (zlib status \(status))")
                }
                return out.count - Int(stream.avail_out)
            }
            if produced > 0 { try emit(Array(buffer[0..<produced])) }
            // More to do while the output filled the whole buffer (or, finishing, until the end).
        } while stream.avail_out == 0 || (flush == Z_FINISH && stream.avail_in > 0)
    }
}

/// An export that could not be written (the download is then cut short: never a partial success).
struct ExportError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
