/// How one pack runs (PackSettings.md): which details it asks, its question, time limit, whether
/// faces may be tapped, its consent text and where a participant goes when done. Every field's
/// default is what Psyx did before packs had settings, so a pack made before (stored `'{}'`) and
/// the original page behave exactly as they did.
public struct PackSettings: Equatable, Sendable {
    /// The details a pack may ask besides sex and age (which are always asked: they are its condition).
    public enum Detail: String, CaseIterable, Sendable {
        case name, email, no, phone
    }

    /// In `Detail.allCases`' order, each once.
    public var ask: [Detail] = Detail.allCases
    /// Empty: the page's own question.
    public var questionKo = ""
    public var questionEn = ""
    /// Seconds; nil: the server's `PSYX_TIME_LIMIT`.
    public var timeLimit: Double?
    public var touch = false
    /// Plain text or the Markdown subset the page renders; empty: no consent step.
    public var consent = "" {
        didSet { consentVersion = Self.version(of: consent) }
    }
    /// The first 16 hex digits of the consent text's SHA-256; empty when there is none. Each reply
    /// records the version it agreed to, so the text may change while replies come in.
    public internal(set) var consentVersion = ""
    public var completionURL = ""
    public var completionCode = ""

    public init() {}

    /// Today's behaviour: every detail asked, the server's time limit, keys only, no consent, no completion.
    public static let `default` = PackSettings()

    public func effectiveTimeLimit(default serverLimit: Double) -> Double {
        timeLimit ?? serverLimit
    }

    public func asks(_ detail: Detail) -> Bool {
        ask.contains(detail)
    }

    /// What a participant's answers depend on: fixed once the pack has replies (`Pack Has Replies`).
    public func sameTask(as other: PackSettings) -> Bool {
        ask == other.ask && questionKo == other.questionKo && questionEn == other.questionEn
            && timeLimit == other.timeLimit && touch == other.touch
    }

    static func version(of consent: String) -> String {
        consent.isEmpty ? "" : String(SHA256.hex(of: consent.utf8).prefix(16))
    }
}
