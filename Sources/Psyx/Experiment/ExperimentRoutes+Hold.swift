import FastCGI

/// Holding a participant number at start (PackSettings.md, issue 21): a start with `"hold": TOKEN`
/// holds `(pack, lower(no))` for that token; while held, any other start for that number is told at
/// once instead of after a whole pack of trials.
extension ExperimentRoutes {
    /// After the last trial's time the page still needs a moment per trial (the fixation, the
    /// answer's handling) and the participant a margin for a pause or a slow network.
    static let holdSecondsPerPair = 3.0
    static let holdMarginSeconds = 600.0

    /// Optional; 16–64 letters, digits and `-`, made once per session by the page and kept with it.
    static func holdToken(_ value: JSONValue?) throws -> String? {
        switch JSONFieldValue(value) {
        case .missing, .null: return nil
        case .string(let text) where (16...64).contains(text.utf8.count)
            && text.utf8.allSatisfy({ $0 == 0x2D || (0x30...0x39).contains($0) || (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) }):
            return text
        default: throw APIError.badRequest("Invalid Hold")
        }
    }

    /// pairs × (time limit + 3 s) + 10 min: long enough for the whole pack, unless `--hold-seconds` says.
    func holdSeconds(for pack: Pack) -> Double {
        fixedHoldSeconds ?? Double(pack.pairs.count) * (pack.settings.effectiveTimeLimit(default: timeLimit) + Self.holdSecondsPerPair)
            + Self.holdMarginSeconds
    }

    /// `answer` once the number is free for `token` (`holdNumber`); where the holds would make the
    /// event loop wait (PostgreSQL), both run on a worker thread instead.
    func holdingNumber(_ no: String, of pack: Pack, for token: String?,
                       answer: @escaping @Sendable () -> Response) throws -> Response {
        guard let holds else { return answer() }
        guard holds.answersInline(packID: pack.id, withToken: token != nil) else {
            throw WorkerAnswer { [self] in
                try holdNumber(no, of: pack, for: token)
                return answer()
            }
        }
        try holdNumber(no, of: pack, for: token)
        return answer()
    }

    /// With a token: claims (or renews) the hold; without one: only looks. Held by another token → 400.
    func holdNumber(_ no: String, of pack: Pack, for token: String?) throws {
        guard let holds else { return }
        let free = if let token {
            try holds.claim(packID: pack.id, no: no, token: token, seconds: holdSeconds(for: pack))
        } else {
            try !holds.isHeld(packID: pack.id, no: no)
        }
        guard free else { throw APIError.badRequest("Participant Number In Use") }
    }
}
