/// The pack object of list and download (spec §3.1) and its shared beginning, written straight into bytes.
enum PackJSON {
    /// `{"p_id":…,"pack_name":…,"sex":…,"age_min":…,"age_max":…,"date":…,"count":…` and `}` when `closing`.
    static func appendFields(of pack: PackSummary, to out: inout [UInt8], closing: Bool) {
        appendCondition(id: pack.id, name: pack.name, sex: pack.sex, ageMin: pack.ageMin, ageMax: pack.ageMax, to: &out)
        out.append(contentsOf: #","date":"#.utf8)
        JSONText.appendString(pack.date, to: &out)
        out.append(contentsOf: #","count":"#.utf8)
        JSONText.appendInteger(pack.replyCount, to: &out)
        if closing { out.append(0x7D) }
    }

    /// `{"p_id":…,"pack_name":…,"sex":…,"age_min":…,"age_max":…`: who a pack is for, as every pack
    /// object begins (list, download, a participant's pack view).
    static func appendCondition(id: Int64, name: String, sex: Int, ageMin: Int, ageMax: Int, to out: inout [UInt8]) {
        out.append(contentsOf: #"{"p_id":"#.utf8)
        JSONText.appendInteger(id, to: &out)
        out.append(contentsOf: #","pack_name":"#.utf8)
        JSONText.appendString(name, to: &out)
        out.append(contentsOf: #","sex":"#.utf8)
        JSONText.appendInteger(sex, to: &out)
        out.append(contentsOf: #","age_min":"#.utf8)
        JSONText.appendInteger(ageMin, to: &out)
        out.append(contentsOf: #","age_max":"#.utf8)
        JSONText.appendInteger(ageMax, to: &out)
    }
}
