/// infoVal rows as the admin API sends them: JSON for the page, CSV for R.
enum InfoValExport {
    /// `[{"r_id":12,"infoval":2.314,"trials":298},…]`; an undefined infoVal is `null`.
    static func json(_ rows: [InfoValRow]) -> [UInt8] {
        var out: [UInt8] = [0x5B]
        for (index, row) in rows.enumerated() {
            if index > 0 { out.append(0x2C) }
            out.append(contentsOf: #"{"r_id":"#.utf8)
            JSONText.appendInteger(row.replyID, to: &out)
            out.append(contentsOf: #","infoval":"#.utf8)
            out.append(contentsOf: (row.infoVal.map(format) ?? "null").utf8)
            out.append(contentsOf: #","trials":"#.utf8)
            JSONText.appendInteger(row.trials, to: &out)
            out.append(0x7D)
        }
        out.append(0x5D)
        return out
    }

    /// `r_id,infoval,trials`, one row per reply; an undefined infoVal is an empty cell (NA in R).
    static func csv(_ rows: [InfoValRow]) -> [UInt8] {
        var text = "r_id,infoval,trials\n"
        for row in rows { text += "\(row.replyID),\(row.infoVal.map(format) ?? ""),\(row.trials)\n" }
        return Array(text.utf8)
    }

    /// Four decimals: more than the Monte Carlo error of 10,000 reference CIs justifies.
    static func format(_ value: Double) -> String {
        guard value.isFinite else { return "null" }
        let rounded = (value * 10_000).rounded() / 10_000
        return String(rounded == 0 ? 0 : rounded)
    }
}
