/// `AnswerCheck` on answers read straight from a submit's bytes (`SubmittedAnswers`): the same
/// checks in the same order, the same messages and the same stored bytes as for a `JSONValue`,
/// without a `String` per file name.
extension AnswerCheck {
    func canonicalJSON(_ answers: SubmittedAnswers?, in body: [UInt8]) throws(APIError) -> String {
        switch answers {
        case nil: return try canonicalJSON(nil as JSONValue?)
        case .value(let value)?: return try canonicalJSON(value)
        case .trials(let trials)?:
            return try body.withUnsafeBufferPointer { bytes in
                Result { () throws(APIError) in try canonicalJSON(trials, in: bytes) }
            }.get()
        }
    }

    private func canonicalJSON(_ trials: [SubmittedTrial], in bytes: UnsafeBufferPointer<UInt8>) throws(APIError) -> String {
        guard trials.count == pack.pairs.count else {
            throw .badRequest("Invalid Answers: expected \(pack.pairs.count) trials, got \(trials.count)")
        }
        let numbers = files.numbers
        var seen = [UInt64](repeating: 0, count: (numbers.upperBound - numbers.lowerBound) / 64 + 1)
        var out: [UInt8] = [0x5B]
        out.reserveCapacity(trials.count * 64)
        for (index, trial) in trials.enumerated() {
            let number = index + 1
            guard let key = Self.storedKey(bytes, trial.key) else {
                throw .badRequest("Invalid Answer \(number): key must be F, J or a space")
            }
            guard trial.rtValue.isFinite, trial.rtValue >= 0, trial.rtValue <= timeLimit + 0.5 else {
                throw .badRequest("Invalid Answer \(number): reaction time out of range")
            }
            let left = UnsafeBufferPointer(rebasing: bytes[trial.left])
            let right = UnsafeBufferPointer(rebasing: bytes[trial.right])
            guard let leftFile = files.entry(named: left), let rightFile = files.entry(named: right),
                  leftFile.number == rightFile.number, leftFile.side != rightFile.side else {
                throw .badRequest("Invalid Answer \(number): not a pair of this pack")
            }
            let bit = leftFile.number - numbers.lowerBound
            guard seen[bit >> 6] & (1 << (bit & 63)) == 0 else { throw .badRequest("Invalid Answer \(number): pair shown twice") }
            seen[bit >> 6] |= 1 << (bit & 63)
            if index > 0 { out.append(0x2C) }
            out.append(0x5B)
            out.append(0x22)
            out.append(key)
            out.append(0x22)
            out.append(0x2C)
            // As `canonicalJSON(_: JSONValue?)`: a short number as sent, a long one rounded to µs.
            if trial.rt.count <= 9 {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[trial.rt]))
            } else {
                out.append(contentsOf: Self.format(trial.rtValue).utf8)
            }
            // Plain strings (no quote, backslash or control byte) are their own JSON text.
            out.append(0x2C)
            out.append(0x22)
            out.append(contentsOf: left)
            out.append(0x22)
            out.append(0x2C)
            out.append(0x22)
            out.append(contentsOf: right)
            out.append(0x22)
            out.append(0x5D)
        }
        out.append(0x5D)
        return String(decoding: out, as: UTF8.self)
    }

    /// The key as stored (`keys`' values) for a one-byte key string; nil for any other.
    private static func storedKey(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> UInt8? {
        guard range.count == 1 else { return nil }
        switch bytes[range.lowerBound] {
        case UInt8(ascii: "F"), UInt8(ascii: "f"): return UInt8(ascii: "F")
        case UInt8(ascii: "J"), UInt8(ascii: "j"): return UInt8(ascii: "J")
        case UInt8(ascii: " "): return UInt8(ascii: " ")
        default: return nil
        }
    }
}
