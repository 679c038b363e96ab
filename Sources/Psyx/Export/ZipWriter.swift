import CZlib
import FastCGI
import Foundation

/// A zip archive (PKWARE APPNOTE 6.3) written front to back into a `BodySink`, so a download can
/// stream it: each entry is deflated as it is written, its CRC and sizes follow it in a data
/// descriptor, and the central directory comes at the end. No ZIP64: an entry or the archive
/// over 4 GiB is refused rather than written wrong.
final class ZipWriter {
    private let sink: any BodySink
    private let dosTime: UInt16
    private let dosDate: UInt16
    private var offset: UInt64 = 0
    private var central: [UInt8] = []
    private var entries = 0

    init(sink: any BodySink, date: Date) {
        self.sink = sink
        (dosDate, dosTime) = Self.dosDateTime(date)
    }

    /// Writes one entry whose content `produce` hands, in pieces, to the sink it is given.
    func addFile(_ name: String, _ produce: (any BodySink) throws -> Void) throws {
        let nameBytes = Array(name.utf8)
        let start = offset
        // Local header: general purpose flag bit 3 (sizes in the data descriptor), bit 11 (UTF-8 name).
        var header: [UInt8] = []
        Self.append32(0x0403_4B50, to: &header)
        Self.append16(20, to: &header)
        Self.append16(0x0808, to: &header)
        Self.append16(8, to: &header)
        Self.append16(dosTime, to: &header)
        Self.append16(dosDate, to: &header)
        for _ in 0..<3 { Self.append32(0, to: &header) }
        Self.append16(UInt16(nameBytes.count), to: &header)
        Self.append16(0, to: &header)
        header += nameBytes
        try emit(header)

        let entry = try EntrySink(writer: self)
        try produce(entry)
        let (crc, compressed, size) = try entry.finish()
        guard compressed <= UInt64(UInt32.max), size <= UInt64(UInt32.max), start <= UInt64(UInt32.max) else {
            throw ExportError("zip entry \(name) is over 4 GiB")
        }
        var descriptor: [UInt8] = []
        Self.append32(0x0807_4B50, to: &descriptor)
        Self.append32(crc, to: &descriptor)
        Self.append32(UInt32(compressed), to: &descriptor)
        Self.append32(UInt32(size), to: &descriptor)
        try emit(descriptor)

        Self.append32(0x0201_4B50, to: &central)
        Self.append16(0x031E, to: &central)  // made by: Unix, version 3.0
        Self.append16(20, to: &central)
        Self.append16(0x0808, to: &central)
        Self.append16(8, to: &central)
        Self.append16(dosTime, to: &central)
        Self.append16(dosDate, to: &central)
        Self.append32(crc, to: &central)
        Self.append32(UInt32(compressed), to: &central)
        Self.append32(UInt32(size), to: &central)
        Self.append16(UInt16(nameBytes.count), to: &central)
        for _ in 0..<4 { Self.append16(0, to: &central) }  // extra, comment, disk, internal attributes
        Self.append32(0o100644 << 16, to: &central)     // external attributes: a regular file, rw-r--r--
        Self.append32(UInt32(start), to: &central)
        central += nameBytes
        entries += 1
    }

    /// The central directory and its end record: the archive is complete.
    func finish() throws {
        let directoryStart = offset
        guard directoryStart + UInt64(central.count) <= UInt64(UInt32.max), entries < 0xFFFF else {
            throw ExportError("zip archive is over 4 GiB")
        }
        try emit(central)
        var end: [UInt8] = []
        Self.append32(0x0605_4B50, to: &end)
        Self.append16(0, to: &end)
        Self.append16(0, to: &end)
        Self.append16(UInt16(entries), to: &end)
        Self.append16(UInt16(entries), to: &end)
        Self.append32(UInt32(central.count), to: &end)
        Self.append32(UInt32(directoryStart), to: &end)
        Self.append16(0, to: &end)
        try emit(end)
    }

    fileprivate func emit(_ bytes: [UInt8]) throws {
        try sink.write(bytes)
        offset += UInt64(bytes.count)
    }

    /// The sink an entry's content is written to: CRC and size of what comes in, deflated out.
    private final class EntrySink: BodySink {
        let writer: ZipWriter
        let deflater: DeflateStream
        var crc: uLong = CZlib.crc32(0, nil, 0)
        var size: UInt64 = 0
        var compressed: UInt64 = 0

        init(writer: ZipWriter) throws {
            self.writer = writer
            deflater = try DeflateStream()
        }

        func write(_ bytes: UnsafeRawBufferPointer) throws {
            guard let base = bytes.baseAddress, bytes.count > 0 else { return }
            crc = CZlib.crc32(crc, base.assumingMemoryBound(to: Bytef.self), uInt(bytes.count))
            size += UInt64(bytes.count)
            try deflater.write(bytes) { try out($0) }
        }

        func finish() throws -> (UInt32, UInt64, UInt64) {
            try deflater.finish { try out($0) }
            return (UInt32(truncatingIfNeeded: crc), compressed, size)
        }

        private func out(_ piece: [UInt8]) throws {
            compressed += UInt64(piece.count)
            try writer.emit(piece)
        }
    }

    /// MS-DOS date and time fields, in UTC (the format has no zone; years before 1980 are 1980).
    static func dosDateTime(_ date: Date) -> (date: UInt16, time: UInt16) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? .current
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        let year = max((c.year ?? 1980) - 1980, 0)
        let day = UInt16(year << 9 | (c.month ?? 1) << 5 | (c.day ?? 1))
        let time = UInt16((c.hour ?? 0) << 11 | (c.minute ?? 0) << 5 | (c.second ?? 0) / 2)
        return (day, time)
    }

    private static func append16(_ value: UInt16, to out: inout [UInt8]) {
        out.append(UInt8(value & 0xFF))
        out.append(UInt8(value >> 8))
    }

    private static func append32(_ value: UInt32, to out: inout [UInt8]) {
        for shift in stride(from: 0, to: 32, by: 8) { out.append(UInt8((value >> UInt32(shift)) & 0xFF)) }
    }
}
