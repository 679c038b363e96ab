import FastCGI
import Foundation

/// `format=psychds`: a pack's replies as a Psych-DS dataset (psych-ds.github.io), zipped —
/// `dataset_description.json` (schema.org `Dataset` JSON-LD naming every column in
/// `variableMeasured`) and `data/study-<pack>_data.csv`, the long CSV download as it is.
/// Streamed like the other downloads: the CSV is deflated as its rows come from the store.
struct PsychDSExport {
    let export: ReplyExport
    let date: Date

    /// What each CSV column holds, in the CSV's order; `variableMeasured` lists exactly these.
    static let variables: [(name: String, description: String)] = [
        ("r_id", "Reply id: one participant's reply to this pack"),
        ("p_id", "Pack id: the set of face pairs answered (the same in every row)"),
        ("participant", "Participant number as the participant typed it (compared case-insensitively)"),
        ("no", "Participant number (the same as participant; kept for older scripts)"),
        ("sex", "Participant's sex as given: 1 male, 2 female"),
        ("age", "Participant's age in years as given"),
        ("trial", "Trial number within the reply, in the order shown (1 is the first)"),
        ("key", "Key pressed: F chose the face on the left, J the face on the right; empty when no key was pressed in time"),
        ("rt", "Reaction time in seconds from the moment both faces appeared"),
        ("left", "Image file shown on the left"),
        ("right", "Image file shown on the right"),
        ("chosen", "Image file chosen; empty when no key was pressed in time"),
        ("stimulus", "Pair number of the stimulus (rcicr's stimulus number)"),
        ("response", "1 when the chosen image is the pair's ori image, -1 for its inv image; empty when no key was pressed in time"),
        ("platform_id", "Recruitment platform's participant ID from the link (Prolific PROLIFIC_PID, MTurk workerId, SONA survey_code or id, or pid); empty when none"),
        ("study_id", "Prolific STUDY_ID from the participant's link; empty when none"),
        ("session_id", "Prolific SESSION_ID from the participant's link; empty when none"),
        ("assignment_id", "MTurk assignmentId from the participant's link; empty when none"),
        ("hit_id", "MTurk hitId from the participant's link; empty when none"),
        ("consented_at", "When the participant agreed to the pack's consent text (ISO 8601 UTC); empty when the pack had no consent step"),
        ("consent_version", "Which consent text was agreed to: the first 16 hex digits of its SHA-256; empty when the pack had no consent step"),
        ("input", "How the faces were chosen: keys (F and J) or touch (tapping a face)"),
    ]

    /// `study-female20s_data.csv`: Psych-DS keyword values are letters and digits only.
    var dataFileName: String {
        let value = export.pack.name.filter { $0.isASCII && ($0.isLetter || $0.isNumber) }
        return "data/study-\(value.isEmpty ? "pack\(export.pack.id)" : value)_data.csv"
    }

    func write(to sink: any BodySink) throws {
        let zip = ZipWriter(sink: sink, date: date)
        try zip.addFile("dataset_description.json") { try $0.write(description()) }
        try zip.addFile(dataFileName) { try export.writeCSV(to: $0) }
        try zip.finish()
    }

    /// The task as the pack set it: its time limit, and its own question where it has one.
    func task(of pack: Pack) -> String {
        let seconds = pack.settings.effectiveTimeLimit(default: export.serverTimeLimit)
        let limit = "within \(seconds) s per pair"
        let question = [pack.settings.questionEn, pack.settings.questionKo].filter { !$0.isEmpty }
        let input = pack.settings.touch ? " (keys F/J, or a tap on a face)" : " (keys F/J)"
        if question.isEmpty { return "Participants chose, \(limit)\(input), the face that looked more like them." }
        return "Participants chose one face of each pair \(limit)\(input), asked: "
            + question.map { "\u{201C}\($0)\u{201D}" }.joined(separator: " / ") + "."
    }

    func description() -> [UInt8] {
        let pack = export.pack
        let sex = pack.sex == 1 ? "male" : "female"
        let summary = "Replies to a two-image forced-choice reverse-correlation task collected with Psyx: "
            + "pack \(pack.name) (\(pack.pairs.count) pairs of ori/inv face images), for \(sex) participants "
            + "aged \(pack.ageMin) to \(pack.ageMax); \(export.replyCount) replies, one row per trial. "
            + task(of: pack)
        var out: [UInt8] = []
        out += Array("{\n  \"@context\": \"https://schema.org/\",\n  \"@type\": \"Dataset\",\n  \"name\": ".utf8)
        JSONText.appendString("Psyx pack \(pack.name) (p_id \(pack.id))", to: &out)
        out += Array(",\n  \"description\": ".utf8)
        JSONText.appendString(summary, to: &out)
        out += Array(",\n  \"schemaVersion\": \"Psych-DS 0.1.0\",\n  \"dateCreated\": ".utf8)
        JSONText.appendString(ISO8601DateFormatter().string(from: date), to: &out)
        out += Array(",\n  \"keywords\": [\"reverse correlation\", \"face perception\", \"two-image forced choice\"],\n  \"variableMeasured\": [".utf8)
        for (index, variable) in Self.variables.enumerated() {
            out += Array((index == 0 ? "\n" : ",\n").utf8)
            out += Array("    {\"@type\": \"PropertyValue\", \"name\": ".utf8)
            JSONText.appendString(variable.name, to: &out)
            out += Array(", \"description\": ".utf8)
            JSONText.appendString(variable.description, to: &out)
            out += Array("}".utf8)
        }
        out += Array("\n  ]\n}\n".utf8)
        return out
    }
}
