import FastCGI
import Foundation

/// The long format for R's rcicr: one row per trial; `left` and `right` are the faces as shown
/// (read with the reply's `AnswerLayout`), `response` is 1 when the chosen face is the ori image,
/// -1 for inv, empty when no key was pressed. `participant` is the participant's number (`no`):
/// rcicr's `by` column; `p_id` is the pack.
///
/// Replies are read straight from their stored bytes (`CSVRowWriter`); a reply
/// whose text is not in the shape our submit stores is parsed with `JSONParser` instead (the
/// reference path), which gives the same rows for whatever the text holds.
extension ReplyExport {
    /// The reply's own columns after the trial's (PackSettings.md): added at the end, so scripts that
    /// read the earlier columns by position keep working.
    static let csvHeader = "r_id,p_id,participant,no,sex,age,trial,key,rt,left,right,chosen,stimulus,response,"
        + "platform_id,study_id,session_id,assignment_id,hit_id,consented_at,consent_version,input\n"

    /// `scan: false` parses every reply: the reference the scanning path is tested against.
    func writeCSV(to sink: any BodySink, scan: Bool = true) throws {
        let names = csvNames ?? CSVNameTable(files: PackFiles(pack))
        let files = names.files
        var rows = CSVRowWriter(names: names)
        var cells: [String: [UInt8]] = [:]
        var out: [UInt8] = Array(Self.csvHeader.utf8)
        out.reserveCapacity(Self.flushSize * 2)
        try store.forEachReply(packID: pack.id) { reply in
            let prefix = Self.csvPrefix(reply)
            let suffix = Self.csvSuffix(reply)
            if !scan || !rows.append(answers: reply.answers, layout: reply.layout, prefix: prefix, suffix: suffix, to: &out) {
                Self.appendParsedRows(of: reply, prefix: prefix, suffix: suffix, files: files, cells: &cells, to: &out)
            }
            if out.count >= Self.flushSize {
                try sink.write(out)
                out.removeAll(keepingCapacity: true)
            }
        }
        try sink.write(out)
    }

    /// `r_id,p_id,participant,no,sex,age,`: the start of each of a reply's rows.
    static func csvPrefix(_ reply: ReplyRecord) -> [UInt8] {
        let no = CSVField.escape(reply.no)
        return Array("\(reply.id),\(reply.packID),\(no),\(no),\(reply.sex),\(reply.age),".utf8)
    }

    /// `,platform_id,study_id,session_id,assignment_id,hit_id,consented_at,consent_version,input\n`:
    /// the end of each of a reply's rows (empty cells for what it lacks).
    static func csvSuffix(_ reply: ReplyRecord) -> [UInt8] {
        let ids = RecruitmentIDs(storedJSON: reply.recruitment)
        let cells = [ids.platformID, ids["STUDY_ID"], ids["SESSION_ID"], ids["assignmentId"], ids["hitId"],
                     reply.consentedAt, reply.consentVersion, reply.input]
        var out: [UInt8] = []
        for cell in cells {
            out.append(0x2C)
            out.append(contentsOf: CSVField.escape(cell ?? "").utf8)
        }
        out.append(0x0A)
        return out
    }

    /// A reply's rows through `JSONParser`: any stored text, element by element.
    static func appendParsedRows(of reply: ReplyRecord, prefix: [UInt8], suffix: [UInt8], files: PackFiles,
                                 cells: inout [String: [UInt8]], to out: inout [UInt8]) {
        /// A file name's CSV cell, escaped once per download.
        func cell(_ name: String) -> [UInt8] {
            if let known = cells[name] { return known }
            let escaped = Array(CSVField.escape(name).utf8)
            cells[name] = escaped
            return escaped
        }
        let trials = (try? JSONParser.parse(reply.answers))?.arrayValue ?? []
        for (index, element) in trials.enumerated() {
            guard let trial = element.arrayValue, trial.count == 4 else { continue }
            let key = trial[0].stringValue ?? " "
            let (left, right) = reply.layout.sides(trial[2].stringValue ?? "", trial[3].stringValue ?? "")
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
            out.append(contentsOf: suffix)
        }
    }
}
