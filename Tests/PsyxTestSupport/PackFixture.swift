/// A generated pack upload: fields plus 2 × pairs image files, with knobs to break it.
public struct PackFixture {
    public var name: String
    public var sex = "2"
    public var ageMin = "20"
    public var ageMax = "29"
    public var pairs: Int
    /// Folder prefix browsers put before each file name (webkitdirectory).
    public var folder = "faces/"
    public var extraFiles: [(filename: String, content: [UInt8])] = []
    /// Text parts after the spec's four (the pack's settings: `ask`, `time_limit`, …).
    public var extraFields: [(name: String, value: String)] = []
    public var omitted: Set<String> = []
    public var replaced: [String: [UInt8]] = [:]
    public var imageBytes: (Int, String) -> [UInt8] = { _, _ in TinyImages.jpeg }

    public init(name: String, pairs: Int) {
        self.name = name
        self.pairs = pairs
    }

    public static func fileName(_ number: Int, _ side: String) -> String {
        let digits = String(number)
        return "rcic_" + String(repeating: "0", count: max(0, 5 - digits.count)) + digits + "_\(side).jpg"
    }

    public var fileNames: [String] {
        (1...max(pairs, 1)).prefix(pairs).flatMap { [Self.fileName($0, "ori"), Self.fileName($0, "inv")] }
    }

    public func body(closed: Bool = true) -> MultipartBody {
        var body = MultipartBody()
        body.addField("pack_name", name)
        body.addField("sex", sex)
        body.addField("age_min", ageMin)
        body.addField("age_max", ageMax)
        for field in extraFields { body.addField(field.name, field.value) }
        for number in 1...max(pairs, 1) where number <= pairs {
            for side in ["ori", "inv"] {
                let file = Self.fileName(number, side)
                if omitted.contains(file) { continue }
                body.addFile(filename: folder + file, content: replaced[file] ?? imageBytes(number, side))
            }
        }
        for extra in extraFiles { body.addFile(filename: extra.filename, content: extra.content) }
        if closed { body.close() }
        return body
    }
}
