/// The job as `/post_sentence` answers it, in the spec's exact shape:
/// `{"cid": "7", "count": "1964", "target": "silver", "db_level": "bronze", "filename": "g.mp4",
/// "worker_id": null, "status": "update"}` — numbers as strings, `worker_id` null until claimed.
extension RelocationJob {
    public var json: [UInt8] {
        var out: [UInt8] = [UInt8(ascii: "{")]
        func field(_ key: String, _ value: String?, first: Bool = false) {
            if !first { out.append(contentsOf: Array(", ".utf8)) }
            JSONText.appendKey(key, to: &out)
            out.append(UInt8(ascii: " "))
            if let value {
                JSONText.appendString(value, to: &out)
            } else {
                out.append(contentsOf: Array("null".utf8))
            }
        }
        field("cid", String(cid), first: true)
        field("count", String(count))
        field("target", target)
        field("db_level", dbLevel)
        field("filename", filename)
        field("worker_id", workerID)
        field("status", status.rawValue)
        out.append(UInt8(ascii: "}"))
        return out
    }
}
