import FastCGI
import Foundation

/// The long format for R's rcicr: one row per trial; `response` is 1 when the
/// chosen face is the ori image, -1 for inv, empty when no key was pressed.
extension ReplyExport {
    static let csvHeader = "r_id,p_id,no,sex,age,trial,key,rt,left,right,chosen,stimulus,response\n"

    func writeCSV(to sink: any BodySink) throws {
        let files = PackFiles(pack)
        var cells: [String: [UInt8]] = [:]
        /// A file name's CSV cell, escaped once per download.
        func cell(_ name: String) -> [UInt8] {
            if let known = cells[name] { return known }
            let escaped = Array(CSVField.escape(name).utf8)
            cells[name] = escaped
            return escaped
        }
        var out: [UInt8] = Array(Self.csvHeader.utf8)
        out.reserveCapacity(Self.flushSize * 2)
        try store.forEachReply(packID: pack.id) { reply in
            let trials = (try? JSONParser.parse(reply.answers))?.arrayValue ?? []
            let prefix = Array("\(reply.id),\(reply.packID),\(CSVField.escape(reply.no)),\(reply.sex),\(reply.age),".utf8)
            for (index, element) in trials.enumerated() {
                guard let trial = element.arrayValue, trial.count == 4 else { continue }
                let key = trial[0].stringValue ?? " "
                let left = trial[2].stringValue ?? ""
                let right = trial[3].stringValue ?? ""
                let chosen = key == "F" ? left : (key == "J" ? right : "")
                out.append(contentsOf: prefix)
                JSONText.appendInteger(index + 1, to: &out)
                out.append(0x2C)
                if !chosen.isEmpty { out.append(contentsOf: key.utf8) }
                out.append(0x2C)
                if case .number(let rt) = trial[1] { out.append(contentsOf: rt.text.utf8) }
                out.append(0x2C)
                out.append(contentsOf: cell(left))
                out.append(0x2C)
                out.append(contentsOf: cell(right))
                out.append(0x2C)
                out.append(contentsOf: cell(chosen))
                out.append(0x2C)
                if let number = files.lookup[left]?.number { JSONText.appendInteger(number, to: &out) }
                out.append(0x2C)
                if let side = files.lookup[chosen]?.side { out.append(contentsOf: (side == .ori ? "1" : "-1").utf8) }
                out.append(0x0A)
            }
            if out.count >= Self.flushSize {
                try sink.write(out)
                out.removeAll(keepingCapacity: true)
            }
        }
        try sink.write(out)
    }
}

/// RFC 4180 quoting, and no leading `=`/`+`/`-`/`@` that a spreadsheet would run as a formula.
enum CSVField {
    static func escape(_ text: String) -> String {
        var value = text
        if let first = value.first, "=+-@".contains(first) { value = "'" + value }
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
