import FastCGI

/// What a participant's page reads besides start and submit (PackSettings.md): a named pack's
/// public view, and where to go once the reply is stored.
extension ExperimentRoutes {
    /// `GET /api/reply/pack?name=NAME` → `{"p_id","pack_name","sex","age_min","age_max","open","ask",
    /// "question","time_limit","touch","consent","consent_version"}`, never the completion URL or
    /// code. Unknown or invalid name: `Unknown Pack NAME`.
    func packView(_ request: HTTPRequest) throws -> Response {
        let name = request.query["name"] ?? ""
        guard PackForm.isValidName(name), let pack = try store.pack(named: name) else {
            throw APIError.badRequest(Self.sentence("Unknown Pack", name))
        }
        return .json(Self.packViewJSON(pack, serverTimeLimit: timeLimit))
    }

    static func packViewJSON(_ pack: Pack, serverTimeLimit: Double) -> [UInt8] {
        var out: [UInt8] = []
        PackJSON.appendCondition(id: pack.id, name: pack.name, sex: pack.sex, ageMin: pack.ageMin, ageMax: pack.ageMax, to: &out)
        out.append(contentsOf: (pack.open ? #","open":true"# : #","open":false"#).utf8)
        out.append(0x2C)
        pack.settings.appendParticipantFields(to: &out, serverTimeLimit: serverTimeLimit)
        out.append(0x7D)
        return out
    }

    /// `GET /api/reply/completion?submission_id=ID` → `{"url":…}` (the pack's completion URL with the
    /// stored reply's recruitment IDs filled in), `{"code":…}`, or `{}`; `Unknown Submission` unless
    /// a reply with that id is stored — so a platform hears of a participant only once the reply is durable.
    func completion(_ request: HTTPRequest) throws -> Response {
        let raw = request.query["submission_id"] ?? ""
        guard let submissionID = try? Self.submissionID(.string(raw)),
              let stored = try store.submittedReply(submissionID: submissionID),
              let pack = try store.pack(id: stored.packID) else {
            throw APIError.badRequest("Unknown Submission")
        }
        var out: [UInt8] = [0x7B]
        if !pack.settings.completionURL.isEmpty {
            out.append(contentsOf: #""url":"#.utf8)
            let ids = RecruitmentIDs(storedJSON: stored.recruitment)
            JSONText.appendString(CompletionLink.filled(pack.settings.completionURL, with: ids), to: &out)
        } else if !pack.settings.completionCode.isEmpty {
            out.append(contentsOf: #""code":"#.utf8)
            JSONText.appendString(pack.settings.completionCode, to: &out)
        }
        out.append(0x7D)
        return .json(out)
    }
}
