import FastCGI
import Foundation

/// Writes a pack's replies as JSON (spec §3.1) or as rcicr-ready CSV, streaming:
/// one reply at a time from the store, flushed in ~64 KiB pieces.
struct ReplyExport: Sendable {
    let store: any ExperimentStore
    let pack: Pack
    let replyCount: Int
    /// The server's time limit, which a pack without its own uses: the download states the task.
    var serverTimeLimit: Double = 3.0
    /// The pack's file names for the CSV rows, cached per pack by the routes (made here when nil).
    var csvNames: CSVNameTable? = nil

    static let flushSize = 64 * 1024

    func writeJSON(to sink: any BodySink) throws {
        var out: [UInt8] = []
        out.reserveCapacity(Self.flushSize * 2)
        let summary = PackSummary(id: pack.id, name: pack.name, sex: pack.sex, ageMin: pack.ageMin, ageMax: pack.ageMax,
                                  date: pack.date, replyCount: replyCount)
        PackJSON.appendFields(of: summary, to: &out, closing: false)
        // The task the replies were given under (frozen once a pack has replies), as in the list.
        out.append(contentsOf: #","settings":"#.utf8)
        pack.settings.appendFullJSON(to: &out, serverTimeLimit: serverTimeLimit)
        out.append(contentsOf: #","replies":["#.utf8)
        var first = true
        try store.forEachReply(packID: pack.id) { reply in
            if !first { out.append(0x2C) }
            first = false
            Self.appendJSON(reply, to: &out)
            if out.count >= Self.flushSize {
                try sink.write(out)
                out.removeAll(keepingCapacity: true)
            }
        }
        out.append(contentsOf: "]}".utf8)
        try sink.write(out)
    }

    static func appendJSON(_ reply: ReplyRecord, to out: inout [UInt8]) {
        out.append(contentsOf: #"{"r_id":"#.utf8)
        JSONText.appendInteger(reply.id, to: &out)
        out.append(contentsOf: #","p_id":"#.utf8)
        JSONText.appendInteger(reply.packID, to: &out)
        for (key, value) in [("name", reply.name), ("email", reply.email), ("no", reply.no)] {
            out.append(0x2C)
            JSONText.appendKey(key, to: &out)
            JSONText.appendString(value, to: &out)
        }
        out.append(contentsOf: #","sex":"#.utf8)
        JSONText.appendInteger(reply.sex, to: &out)
        out.append(contentsOf: #","age":"#.utf8)
        JSONText.appendInteger(reply.age, to: &out)
        out.append(contentsOf: #","phone":"#.utf8)
        JSONText.appendString(reply.phone, to: &out)
        out.append(contentsOf: #","date":"#.utf8)
        JSONText.appendString(reply.date, to: &out)
        // Which element of each answer was on the left; then the answers, stored as compact JSON by
        // AnswerCheck, written through as they are.
        out.append(contentsOf: #","layout":"#.utf8)
        JSONText.appendString(reply.layout.rawValue, to: &out)
        out.append(contentsOf: #","answers":"#.utf8)
        out.append(contentsOf: reply.answers.utf8)
        // What the reply records of its recruitment and consent (PackSettings.md), after the
        // original fields.
        out.append(contentsOf: #","recruitment":"#.utf8)
        RecruitmentIDs(storedJSON: reply.recruitment).appendJSON(to: &out)
        for (key, value) in [("consented_at", reply.consentedAt), ("consent_version", reply.consentVersion)] {
            out.append(0x2C)
            JSONText.appendKey(key, to: &out)
            if let value { JSONText.appendString(value, to: &out) } else { out.append(contentsOf: "null".utf8) }
        }
        out.append(contentsOf: #","input":"#.utf8)
        JSONText.appendString(reply.input, to: &out)
        out.append(0x7D)
    }
}
