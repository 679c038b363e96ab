import FastCGI
import Foundation

/// The long format for R's rcicr: one row per trial; `response` is 1 when the
/// chosen face is the ori image, -1 for inv, empty when no key was pressed.
extension ReplyExport {
    static let csvHeader = "r_id,p_id,no,sex,age,trial,key,rt,left,right,chosen,stimulus,response\n"

    func writeCSV(to sink: any BodySink) throws {
        let files = PackFiles(pack)
        var out: [UInt8] = Array(Self.csvHeader.utf8)
        out.reserveCapacity(Self.flushSize * 2)
        try store.forEachReply(packID: pack.id) { reply in
            let trials = (try? JSONParser.parse(reply.answers))?.arrayValue ?? []
            let prefix = "\(reply.id),\(reply.packID),\(CSVField.escape(reply.no)),\(reply.sex),\(reply.age),"
            for (index, element) in trials.enumerated() {
                guard let trial = element.arrayValue, trial.count == 4 else { continue }
                let key = trial[0].stringValue ?? " "
                let rt = trial[1].doubleValue.map(AnswerCheck.format) ?? ""
                let left = trial[2].stringValue ?? ""
                let right = trial[3].stringValue ?? ""
                let chosen = key == "F" ? left : (key == "J" ? right : "")
                let stimulus = files.lookup[left]?.number.description ?? ""
                let response = files.lookup[chosen].map { $0.side == .ori ? "1" : "-1" } ?? ""
                let row = prefix + "\(index + 1),\(key == " " ? "" : key),\(rt),\(CSVField.escape(left)),"
                    + "\(CSVField.escape(right)),\(CSVField.escape(chosen)),\(stimulus),\(response)\n"
                out.append(contentsOf: row.utf8)
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
