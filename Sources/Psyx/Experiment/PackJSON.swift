/// The pack object of list and download (spec §3.1), written straight into bytes.
enum PackJSON {
    /// `{"p_id":…,"pack_name":…,"sex":…,"age_min":…,"age_max":…,"date":…,"count":…` and `}` when `closing`.
    static func appendFields(of pack: PackSummary, to out: inout [UInt8], closing: Bool) {
        out.append(contentsOf: #"{"p_id":"#.utf8)
        JSONText.appendInteger(pack.id, to: &out)
        out.append(contentsOf: #","pack_name":"#.utf8)
        JSONText.appendString(pack.name, to: &out)
        out.append(contentsOf: #","sex":"#.utf8)
        JSONText.appendInteger(pack.sex, to: &out)
        out.append(contentsOf: #","age_min":"#.utf8)
        JSONText.appendInteger(pack.ageMin, to: &out)
        out.append(contentsOf: #","age_max":"#.utf8)
        JSONText.appendInteger(pack.ageMax, to: &out)
        out.append(contentsOf: #","date":"#.utf8)
        JSONText.appendString(pack.date, to: &out)
        out.append(contentsOf: #","count":"#.utf8)
        JSONText.appendInteger(pack.replyCount, to: &out)
        if closing { out.append(0x7D) }
    }
}
