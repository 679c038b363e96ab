#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Synchronization

/// The failover tests' load, on what works on PostgreSQL today: relocation writes
/// (`/post_sentence` with the shared key) through the cluster's Nginx for contents registered with
/// `psyx contents add`, and `/api/health` as the probe. Each write names its cid and count, so the
/// database shows afterwards which acknowledged write is there, with which count, how often.
struct SentenceWrites: Sendable {
    let http: ReliabilityHTTP

    init(cluster: ClusterStack) {
        http = ReliabilityHTTP(port: cluster.port)
    }

    /// One request as the client saw it.
    struct Attempt: Sendable {
        var cid: Int
        var count: Int
        var status: Int
        var sent: Date
        var answered: Date
        /// 200 with the job of this cid and count: the write is committed.
        var acknowledged: Bool
    }

    /// The seed's levels, and one content per cid (a small file in bronze), four `psyx` at a time.
    static func register(_ cids: ClosedRange<Int>, in cluster: ClusterStack) throws {
        let cli = try cluster.relocationCLI()
        try cli.succeed(["levels", "set"] + RelocationCLI.exampleLevels)
        for cid in cids {
            try Data("content \(cid)".utf8).write(to: cli.levelFolder("bronze").appendingPathComponent("c\(cid).mp4"))
        }
        let problems = ReliabilityThreads.run(4) { worker -> [String] in
            cids.filter { $0 % 4 == worker }.compactMap { cid in
                do {
                    try cli.succeed(["contents", "add", String(cid), "bronze", "c\(cid).mp4"])
                    return nil
                } catch {
                    return "\(error)"
                }
            }
        }.flatMap { $0 }
        guard problems.isEmpty else { throw StackError("psyx contents add failed:\n" + problems.joined(separator: "\n")) }
    }

    /// The count cid is posted with (round: a later post of the same cid): spread over the three
    /// levels and never above the top one, so a post writes the cid's job and nothing else.
    static func count(_ cid: Int, round: Int = 0) -> Int {
        (cid * 37 + round * 101) % 3000
    }

    /// `POST /post_sentence cid=…&count=…`; status -1 when no HTTP answer came.
    func post(cid: Int, count: Int) -> Attempt {
        let sent = Date()
        let response = try? http.request("POST", "/post_sentence",
                                         headers: ["X-Relocation-Key: \(TestStack.relocationKey)",
                                                   "Content-Type: application/x-www-form-urlencoded"],
                                         body: Array("cid=\(cid)&count=\(count)".utf8))
        let status = response?.status ?? -1
        let acknowledged = status == 200 && response?.text.contains(#""cid": "\#(cid)", "count": "\#(count)""#) == true
        return Attempt(cid: cid, count: count, status: status, sent: sent, answered: Date(), acknowledged: acknowledged)
    }

    /// `GET /api/health`'s status; -1 when no HTTP answer came.
    func health() -> Int {
        (try? http.request("GET", "/api/health"))?.status ?? -1
    }

    /// `GET /api/health` as an attempt (cid 0, acknowledged when 200).
    func healthAttempt() -> Attempt {
        let sent = Date()
        let status = health()
        return Attempt(cid: 0, count: 0, status: status, sent: sent, answered: Date(), acknowledged: status == 200)
    }

    /// `attempt` again every 100 ms while it is answered 502 or 503 (or not at all), as a client that
    /// retries does, 50 times at most; every try in order, the last one acknowledged unless it failed
    /// for good.
    static func retrying(_ attempt: () -> Attempt) -> [Attempt] {
        var tries: [Attempt] = []
        for _ in 1...50 {
            let tried = attempt()
            tries.append(tried)
            if tried.acknowledged || ![502, 503, -1].contains(tried.status) { break }
            usleep(100_000)
        }
        return tries
    }

    /// cid → (count, rows) in relocation_jobs on `server`, or on whichever server takes writes.
    static func stored(in cluster: ClusterStack, on server: ClusterStack.Server? = nil) throws -> [Int: (count: Int, rows: Int)] {
        var stored: [Int: (count: Int, rows: Int)] = [:]
        for line in try cluster.sql("SELECT cid, max(count), count(*) FROM relocation_jobs GROUP BY cid", on: server) {
            let fields = line.split(separator: "|").compactMap { Int($0) }
            guard fields.count == 3 else { throw StackError("unexpected row from psql: \(line)") }
            stored[fields[0]] = (fields[1], fields[2])
        }
        return stored
    }

    /// Acknowledged writes whose cid is missing from `stored`, stored with another count, or stored
    /// more than once: each entry names the cid and what was found.
    static func problems(acknowledged: [Attempt], stored: [Int: (count: Int, rows: Int)]) -> [String] {
        acknowledged.compactMap { attempt in
            guard let row = stored[attempt.cid] else { return "cid \(attempt.cid): acknowledged, not stored" }
            if row.rows != 1 { return "cid \(attempt.cid): \(row.rows) rows" }
            if row.count != attempt.count { return "cid \(attempt.cid): acknowledged count \(attempt.count), stored \(row.count)" }
            return nil
        }
    }
}

/// A number the load's threads and the test's thread share (acknowledged writes so far).
final class SharedCounter: Sendable {
    private let value = Atomic<Int>(0)
    func add() { value.add(1, ordering: .relaxed) }
    var current: Int { value.load(ordering: .relaxed) }

    /// Waits until the count reaches `target` or `seconds` pass; whether it did.
    func wait(for target: Int, seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while current < target && Date() < deadline { usleep(1_000) }
        return current >= target
    }
}

/// A flag the test's thread sets for the load's threads (stop now).
final class SharedFlag: Sendable {
    private let value = Atomic<Bool>(false)
    func set() { value.store(true, ordering: .relaxed) }
    var isSet: Bool { value.load(ordering: .relaxed) }
}
