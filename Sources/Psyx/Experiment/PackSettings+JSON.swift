/// Settings as stored (`packs.settings`), as the admin list shows them and as a participant's
/// page sees them (never the completion URL or code: nobody may skip to them).
extension PackSettings {
    /// From `packs.settings`: a key missing or of the wrong kind keeps its default, so `'{}'` (packs
    /// made before settings) is today's behaviour.
    public init(storedJSON text: String) {
        self.init()
        guard text != "{}", let object = (try? JSONParser.parse(text))?.objectValue else { return }
        if let list = object["ask"]?.arrayValue {
            let names = Set(list.compactMap(\.stringValue))
            ask = Detail.allCases.filter { names.contains($0.rawValue) }
        }
        questionKo = object["question_ko"]?.stringValue ?? ""
        questionEn = object["question_en"]?.stringValue ?? ""
        timeLimit = object["time_limit"]?.doubleValue
        if case .bool(let flag)? = object["touch"] { touch = flag }
        consent = object["consent"]?.stringValue ?? ""
        consentVersion = Self.version(of: consent)  // no didSet inside an initializer
        completionURL = object["completion_url"]?.stringValue ?? ""
        completionCode = object["completion_code"]?.stringValue ?? ""
    }

    /// What `packs.settings` holds: `{}` for the defaults, else every field (the time limit only
    /// when the pack has its own).
    public var storedJSON: String {
        guard self != .default else { return "{}" }
        var out: [UInt8] = [0x7B]
        appendAsk(to: &out)
        appendString("question_ko", questionKo, to: &out)
        appendString("question_en", questionEn, to: &out)
        if let timeLimit { out.append(contentsOf: #","time_limit":\#(timeLimit)"#.utf8) }
        out.append(contentsOf: (touch ? #","touch":true"# : #","touch":false"#).utf8)
        appendString("consent", consent, to: &out)
        appendString("completion_url", completionURL, to: &out)
        appendString("completion_code", completionCode, to: &out)
        out.append(0x7D)
        return String(decoding: out, as: UTF8.self)
    }

    /// Every field, the time limit the effective one: what the JSON download states of the task.
    func appendFullJSON(to out: inout [UInt8], serverTimeLimit: Double) {
        out.append(0x7B)
        appendParticipantFields(to: &out, serverTimeLimit: serverTimeLimit)
        appendString("completion_url", completionURL, to: &out)
        appendString("completion_code", completionCode, to: &out)
        out.append(0x7D)
    }

    /// The admin list's compact `"settings":{…}`: the effective time limit, then only what differs
    /// from the defaults (a page fills in the rest). A list of 1,000 default packs stays ~150 KB,
    /// not ~300 KB: its cost is its size (bytes through the socket and Nginx's buffers).
    func appendListJSON(to out: inout [UInt8], serverTimeLimit: Double) {
        out.append(contentsOf: #"{"time_limit":\#(effectiveTimeLimit(default: serverTimeLimit))"#.utf8)
        if ask != PackSettings.default.ask {
            out.append(0x2C)
            appendAsk(to: &out)
        }
        if !questionKo.isEmpty || !questionEn.isEmpty {
            out.append(contentsOf: #","question":"#.utf8)
            appendQuestion(to: &out)
        }
        if touch { out.append(contentsOf: #","touch":true"#.utf8) }
        if !consent.isEmpty {
            appendString("consent", consent, to: &out)
            appendString("consent_version", consentVersion, to: &out)
        }
        if !completionURL.isEmpty { appendString("completion_url", completionURL, to: &out) }
        if !completionCode.isEmpty { appendString("completion_code", completionCode, to: &out) }
        out.append(0x7D)
    }

    /// `"ask":[…],"question":{…},"time_limit":…,"touch":…,"consent":…,"consent_version":…`: what
    /// the participant's page may know.
    func appendParticipantFields(to out: inout [UInt8], serverTimeLimit: Double) {
        appendAsk(to: &out)
        out.append(contentsOf: #","question":"#.utf8)
        appendQuestion(to: &out)
        out.append(contentsOf: #","time_limit":\#(effectiveTimeLimit(default: serverTimeLimit))"#.utf8)
        out.append(contentsOf: (touch ? #","touch":true"# : #","touch":false"#).utf8)
        appendString("consent", consent, to: &out)
        appendString("consent_version", consentVersion, to: &out)
    }

    /// `{"ko":"…","en":"…"}`.
    func appendQuestion(to out: inout [UInt8]) {
        out.append(contentsOf: #"{"ko":"#.utf8)
        JSONText.appendString(questionKo, to: &out)
        out.append(contentsOf: #","en":"#.utf8)
        JSONText.appendString(questionEn, to: &out)
        out.append(0x7D)
    }

    /// `"ask":[…]` (first member: no comma before it).
    private func appendAsk(to out: inout [UInt8]) {
        out.append(contentsOf: #""ask":["#.utf8)
        for (index, detail) in ask.enumerated() {
            if index > 0 { out.append(0x2C) }
            JSONText.appendString(detail.rawValue, to: &out)
        }
        out.append(0x5D)
    }

    private func appendString(_ key: String, _ value: String, to out: inout [UInt8]) {
        out.append(0x2C)
        JSONText.appendKey(key, to: &out)
        JSONText.appendString(value, to: &out)
    }
}
