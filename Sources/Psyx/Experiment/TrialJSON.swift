/// One stored trial, `[key,rt,left,right]`: the shape of every entry of a reply's `answers`.
enum TrialJSON {
    static func append(key: String, rt: String, left: String, right: String, to out: inout [UInt8]) {
        out.append(0x5B)
        JSONText.appendString(key, to: &out)
        out.append(0x2C)
        out.append(contentsOf: rt.utf8)
        out.append(0x2C)
        JSONText.appendString(left, to: &out)
        out.append(0x2C)
        JSONText.appendString(right, to: &out)
        out.append(0x5D)
    }
}
