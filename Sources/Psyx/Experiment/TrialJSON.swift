/// One stored trial, `[key,rt,X,Y]`: the shape of every entry of a reply's `answers` (the
/// reply's `AnswerLayout` says which of X and Y was shown on the left).
enum TrialJSON {
    static func append(key: String, rt: String, x: String, y: String, to out: inout [UInt8]) {
        out.append(0x5B)
        JSONText.appendString(key, to: &out)
        out.append(0x2C)
        out.append(contentsOf: rt.utf8)
        out.append(0x2C)
        JSONText.appendString(x, to: &out)
        out.append(0x2C)
        JSONText.appendString(y, to: &out)
        out.append(0x5D)
    }
}
