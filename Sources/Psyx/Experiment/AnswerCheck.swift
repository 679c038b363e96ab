import Foundation

/// Checks a submit's `answers` against its pack (spec §3.2) and writes them back
/// as compact JSON: one `[key, rt, X, Y]` per pair, each pair exactly once, X and Y in the order
/// sent (which one was on the left is the reply's `AnswerLayout`, stored beside them).
struct AnswerCheck {
    let pack: Pack
    /// The pack's file names by name (cached per pack by the routes).
    let files: PackFiles
    let timeLimit: Double

    init(pack: Pack, files: PackFiles? = nil, timeLimit: Double) {
        self.pack = pack
        self.files = files ?? PackFiles(pack)
        self.timeLimit = timeLimit
    }

    /// Keys as stored: `f`/`j` are accepted and stored as `F`/`J`.
    static let keys: [String: String] = ["F": "F", "J": "J", "f": "F", "j": "J", " ": " "]

    func canonicalJSON(_ value: JSONValue?) throws(APIError) -> String {
        guard case .array(let trials) = value else { throw .badRequest("Invalid Answers") }
        guard trials.count == pack.pairs.count else {
            throw .badRequest("Invalid Answers: expected \(pack.pairs.count) trials, got \(trials.count)")
        }
        var seen = Set<Int>()
        seen.reserveCapacity(trials.count)
        var out: [UInt8] = [0x5B]
        out.reserveCapacity(trials.count * 64)
        for (index, trial) in trials.enumerated() {
            let number = index + 1
            guard case .array(let fields) = trial, fields.count == 4 else { throw .badRequest("Invalid Answer \(number): expected [key, rt, left, right]") }
            guard case .string(let rawKey) = fields[0], let key = Self.keys[rawKey] else {
                throw .badRequest("Invalid Answer \(number): key must be F, J or a space")
            }
            guard case .number(let rtNumber) = fields[1], rtNumber.value.isFinite,
                  rtNumber.value >= 0, rtNumber.value <= timeLimit + 0.5 else {
                throw .badRequest("Invalid Answer \(number): reaction time out of range")
            }
            guard case .string(let x) = fields[2], case .string(let y) = fields[3],
                  let xFile = files.lookup[x], let yFile = files.lookup[y],
                  xFile.number == yFile.number, xFile.side != yFile.side else {
                throw .badRequest("Invalid Answer \(number): not a pair of this pack")
            }
            guard seen.insert(xFile.number).inserted else { throw .badRequest("Invalid Answer \(number): pair shown twice") }
            if index > 0 { out.append(0x2C) }
            // A short number is stored as it was sent (the parser checked its syntax); a long one rounded to µs.
            let rt = rtNumber.text.utf8.count <= 9 ? rtNumber.text : Self.format(rtNumber.value)
            TrialJSON.append(key: key, rt: rt, x: x, y: y, to: &out)
        }
        out.append(0x5D)
        return String(decoding: out, as: UTF8.self)
    }

    /// Seconds with at most microsecond digits, as JSON.
    static func format(_ seconds: Double) -> String {
        let rounded = (seconds * 1_000_000).rounded() / 1_000_000
        return String(rounded)
    }
}
