import Foundation

/// A reply's answers as rcicr responses, one per pair in pack order: +1 when the participant
/// picked the ori image, −1 for inv, 0 when no key was pressed in time.
enum ReplyResponses {
    /// `answers` is the stored JSON array of `[key, rt, X, Y]`, `layout` says which of X and Y was
    /// on the left; key `F` picks the left face, `J` the right one. Anything unexpected in a trial
    /// leaves that trial unanswered rather than failing the reply.
    static func parse(_ answers: String, layout: AnswerLayout, files: PackFiles, pairIndex: [Int: Int]) -> [Int8] {
        var responses = [Int8](repeating: 0, count: pairIndex.count)
        guard let trials = (try? JSONParser.parse(answers))?.arrayValue else { return responses }
        for trial in trials {
            guard let fields = trial.arrayValue, fields.count == 4 else { continue }
            let sides = layout.sides(fields[2], fields[3])
            let chosen: JSONValue
            switch fields[0].stringValue?.uppercased() {
            case "F": chosen = sides.left
            case "J": chosen = sides.right
            default: continue
            }
            guard let name = chosen.stringValue, let file = files.lookup[name], let index = pairIndex[file.number] else { continue }
            responses[index] = file.side == .ori ? 1 : -1
        }
        return responses
    }
}
