import FastCGI

/// `format=rcicr`: the CSV download cut down to what rcicr's `batchGenerateCI2IFC` takes as it is —
/// `participant,r_id,trial,stimulus,response` — with answered trials only. A timeout's empty
/// `response` would be NA in R, and one NA makes rcicr's aggregated CI all NA.
///
/// It reads the rows the CSV writer produces (by column name, RFC 4180 quotes respected), so
/// `stimulus` and `response` are whatever that writer works out for each trial, never a second
/// reading of the answers. Fields are copied as they are, quotes included.
final class RcicrCSVSink: BodySink {
    static let columns = ["participant", "r_id", "trial", "stimulus", "response"]
    static let header = columns.joined(separator: ",") + "\n"

    private let target: any BodySink
    /// Bytes of a row not yet complete, carried to the next write.
    private var pending: [UInt8] = []
    /// Where each of `columns` is in the source rows; nil until the source's header is read.
    private var picks: [Int]?
    private var stimulusPick = 0
    private var responsePick = 0
    private var out: [UInt8] = []

    init(target: any BodySink) { self.target = target }

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        pending.append(contentsOf: bytes)
        var fields: [Range<Int>] = []
        var rowStart = 0, fieldStart = 0, quoted = false
        for index in pending.indices {
            switch pending[index] {
            case UInt8(ascii: "\""):
                quoted.toggle()
            case UInt8(ascii: ",") where !quoted:
                fields.append(fieldStart..<index)
                fieldStart = index + 1
            case 0x0A where !quoted:
                fields.append(fieldStart..<index)
                try take(fields)
                fields.removeAll(keepingCapacity: true)
                rowStart = index + 1
                fieldStart = rowStart
            default:
                break
            }
        }
        pending.removeFirst(rowStart)
        guard !out.isEmpty else { return }
        try target.write(out)
        out.removeAll(keepingCapacity: true)
    }

    /// One complete source row: the header fixes the picks; a trial with a stimulus and a response
    /// is copied, any other is left out.
    private func take(_ fields: [Range<Int>]) throws {
        guard let picks else {
            let names = fields.map { String(decoding: pending[$0], as: UTF8.self) }
            let found = Self.columns.compactMap { names.firstIndex(of: $0) }
            guard found.count == Self.columns.count else {
                throw APIError.internalError(cause: "rcicr export: the CSV header \(names) lacks one of \(Self.columns)")
            }
            picks = found
            stimulusPick = found[3]
            responsePick = found[4]
            out.append(contentsOf: Self.header.utf8)
            return
        }
        guard fields.count > max(stimulusPick, responsePick), !fields[stimulusPick].isEmpty,
              !fields[responsePick].isEmpty else { return }
        for (position, pick) in picks.enumerated() {
            if position > 0 { out.append(0x2C) }
            if pick < fields.count { out.append(contentsOf: pending[fields[pick]]) }
        }
        out.append(0x0A)
    }
}
