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

    /// Checks every trial in order (the first failure is thrown), then writes the text in one go
    /// into a string of exactly its size.
    private func canonicalJSON(_ trials: [SubmittedTrial], in bytes: UnsafeBufferPointer<UInt8>) throws(APIError) -> String {
        guard trials.count == pack.pairs.count else {
            throw .badRequest("Invalid Answers: expected \(pack.pairs.count) trials, got \(trials.count)")
        }
        let numbers = files.numbers
        var seen = [UInt64](repeating: 0, count: (numbers.upperBound - numbers.lowerBound) / 64 + 1)
        var keys = [UInt8](repeating: 0, count: trials.count)
        // As `canonicalJSON(_: JSONValue?)`: a short number is stored as sent, a long one rounded to µs.
        var rounded: [Int: String] = [:]
        var size = 2 + max(0, trials.count - 1)
        for (index, trial) in trials.enumerated() {
            let number = index + 1
            guard let key = Self.storedKey(bytes, trial.key) else {
                throw .badRequest("Invalid Answer \(number): key must be F, J or a space")
            }
            guard trial.rtValue.isFinite, trial.rtValue >= 0, trial.rtValue <= timeLimit + 0.5 else {
                throw .badRequest("Invalid Answer \(number): reaction time out of range")
            }
            guard let xFile = files.entry(named: UnsafeBufferPointer(rebasing: bytes[trial.x])),
                  let yFile = files.entry(named: UnsafeBufferPointer(rebasing: bytes[trial.y])),
                  xFile.number == yFile.number, xFile.side != yFile.side else {
                throw .badRequest("Invalid Answer \(number): not a pair of this pack")
            }
            let bit = xFile.number - numbers.lowerBound
            guard seen[bit >> 6] & (1 << (bit & 63)) == 0 else { throw .badRequest("Invalid Answer \(number): pair shown twice") }
            seen[bit >> 6] |= 1 << (bit & 63)
            keys[index] = key
            var rtCount = trial.rt.count
            if rtCount > 9 {
                let text = Self.format(trial.rtValue)
                rounded[index] = text
                rtCount = text.utf8.count
            }
            // ["K",rt,"X","Y"]
            size += 12 + rtCount + trial.x.count + trial.y.count
        }
        return String(unsafeUninitializedCapacity: size) { out in
            var writer = ByteWriter(out)
            writer.put(0x5B)
            for (index, trial) in trials.enumerated() {
                if index > 0 { writer.put(0x2C) }
                writer.put(0x5B, 0x22, keys[index], 0x22, 0x2C)
                if let text = rounded[index] { writer.put(text) } else { writer.put(bytes, trial.rt) }
                // Plain strings (no quote, backslash or control byte) are their own JSON text.
                writer.put(0x2C, 0x22)
                writer.put(bytes, trial.x)
                writer.put(0x22, 0x2C, 0x22)
                writer.put(bytes, trial.y)
                writer.put(0x22, 0x5D)
            }
            writer.put(0x5D)
            return writer.count
        }
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
