/// One pair of a pack: the original face and its inverted-noise counterpart, by pair number.
public struct PackPair: Equatable, Sendable {
    public var number: Int
    public var ori: String
    public var inv: String

    public init(number: Int, ori: String, inv: String) {
        self.number = number
        self.ori = ori
        self.inv = inv
    }
}

/// A stored pack with its pairs, as `start` needs it.
public struct Pack: Equatable, Sendable {
    public var id: Int64
    public var name: String
    public var sex: Int
    public var ageMin: Int
    public var ageMax: Int
    /// Creation time, ISO 8601 UTC (`2026-11-21T14:03:09Z`).
    public var date: String
    /// Ordered by number.
    public var pairs: [PackPair]
    /// Start with `"pack"` refuses a closed pack (`Pack Closed`); submit takes it.
    public var open: Bool
    public var settings: PackSettings

    public init(id: Int64, name: String, sex: Int, ageMin: Int, ageMax: Int, date: String, pairs: [PackPair],
                open: Bool = true, settings: PackSettings = .default) {
        self.open = open
        self.settings = settings
        self.id = id
        self.name = name
        self.sex = sex
        self.ageMin = ageMin
        self.ageMax = ageMax
        self.date = date
        self.pairs = pairs
    }
}

/// A pack as the admin list shows it: its fields, how many replies it has, and whether start
/// matches new participants to it.
public struct PackSummary: Equatable, Sendable {
    public var id: Int64
    public var name: String
    public var sex: Int
    public var ageMin: Int
    public var ageMax: Int
    public var date: String
    public var replyCount: Int
    /// Closed packs get no new participant; those who started one may still submit.
    public var open: Bool
    public var settings: PackSettings

    public init(id: Int64, name: String, sex: Int, ageMin: Int, ageMax: Int, date: String, replyCount: Int,
                open: Bool = true, settings: PackSettings = .default) {
        self.settings = settings
        self.id = id
        self.name = name
        self.sex = sex
        self.ageMin = ageMin
        self.ageMax = ageMax
        self.date = date
        self.replyCount = replyCount
        self.open = open
    }
}

/// A pack to create (checked by the caller; the store checks only name and condition conflicts).
public struct NewPack: Sendable {
    public var name: String
    public var sex: Int
    public var ageMin: Int
    public var ageMax: Int
    public var pairs: [PackPair]
    /// The staged folder whose files a store that keeps pack images itself (PostgreSQL: every
    /// responder serves them) stores with the pack row, in the create's transaction; nil: none.
    public var folder: String?
    public var settings: PackSettings

    public init(name: String, sex: Int, ageMin: Int, ageMax: Int, pairs: [PackPair], folder: String? = nil,
                settings: PackSettings = .default) {
        self.settings = settings
        self.folder = folder
        self.name = name
        self.sex = sex
        self.ageMin = ageMin
        self.ageMax = ageMax
        self.pairs = pairs
    }
}
