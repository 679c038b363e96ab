#if canImport(Glibc)
import Glibc
#endif
import Foundation
import PsyxTestSupport
import XCTest

/// Issue 19's failover tests under the load they are about: participants starting and submitting
/// through a cluster (`nginx/dev cluster up`: three responders, a PostgreSQL primary and its
/// synchronous standby). By hand: `swift build && swift test --filter ClusterExperimentEndToEndTests`.
final class ClusterExperimentEndToEndTests: EndToEndTestCase {
    static let settings = ["PSYX_PACK_SIZE": "5"]
    static let clients = 50

    /// 50 participants submit at once (each with its submission_id); node 2 is killed with SIGKILL
    /// after about 20 acknowledgements. Every acknowledged reply is stored once; the others, retried
    /// with their submission_id as the page does, are all stored; node 2 serves again after a restart.
    func testKillingAResponderAmongFiftySubmitsLosesNoAcknowledgedReply() throws {
        let (cluster, http, statuses, ackedBefore) = try fiftySubmits { try $0.killNode(2) }
        XCTAssertLessThan(ackedBefore, Self.clients, "the node was killed after every client was done")

        try cluster.restartNode(2)
        XCTAssertTrue(cluster.waitUntilServing(2, "POST\t/api/reply/start") {
            _ = try? http.post("/api/reply/start", json: Self.participant(999).details)
        }, "node 2 served no start within 30 s of its restart")
        ReliabilityProbe.report("cluster-experiment-kill-node", [
            "clients": Self.clients, "acknowledged_before_kill": ackedBefore,
            "acknowledged": statuses.filter { $0 == 200 }.count, "failed": statuses.filter { $0 != 200 }.count, "lost": 0,
        ])
    }

    /// The primary killed with SIGKILL among 50 concurrent submits, the standby promoted a second
    /// later: no acknowledged reply is missing on the promoted server; submits in between are
    /// answered 503 and succeed when retried with their submission_id.
    func testKillingThePrimaryAmongSubmitsLosesNoAcknowledgedReply() throws {
        let (cluster, _, statuses, _) = try fiftySubmits { cluster in
            try cluster.killPrimary()
            usleep(1_000_000)
            try cluster.promoteStandby()
        }
        XCTAssertEqual(statuses.filter { $0 != 200 && $0 != 503 }, [], "a submit in the switch was answered neither 200 nor 503")
        XCTAssertEqual(try cluster.sql("SELECT count(*) FROM replies", on: .standby), ["\(Self.clients)"])
        ReliabilityProbe.report("cluster-experiment-kill-primary", [
            "clients": Self.clients, "acknowledged": statuses.filter { $0 == 200 }.count,
            "answered_503": statuses.filter { $0 == 503 }.count, "lost": 0,
        ])
    }

    /// Every node restarted in turn under a trickle of new participants (start, then submit): a
    /// request that fails is a 502 or 503 the page retries, and every participant's reply is stored.
    func testRollingRestartUnderStartsAndSubmitsFailsNothingThePageWouldNotRetry() throws {
        let cluster = try startCluster(environment: Self.settings)
        let packID = try uploadPack(cluster)
        let http = ReliabilityHTTP(port: cluster.port)
        let done = SharedFlag()
        let acknowledged = SharedCounter()
        // Two participants at a time; each request retried on 502/503 (every 100 ms, 50 times at most).
        let load = ReliabilityThreads.Background { () -> [(submitted: [String], unrecoverable: [String])] in
            ReliabilityThreads.run(2) { worker in
                var submitted: [String] = []
                var unrecoverable: [String] = []
                var index = 0
                while !done.isSet {
                    let participant = ParticipantFixture(no: "R\(worker)X\(index)", sex: 2, age: 25)
                    index += 1
                    let started = Self.retrying { try http.post("/api/reply/start", json: participant.details) }
                    guard started?.status == 200, let object = started?.json as? [String: Any],
                          let pairs = object["pic_pairs"] as? [[String]] else {
                        unrecoverable.append("start \(participant.no): \(started?.status ?? -1)")
                        continue
                    }
                    let body = participant.submit(packID: packID, pairs: pairs, submissionID: "roll-\(participant.no)")
                    let answer = Self.retrying { try http.post("/api/reply/submit", json: body) }
                    if answer?.status == 200 { submitted.append(participant.no); acknowledged.add() } else {
                        unrecoverable.append("submit \(participant.no): \(answer?.status ?? -1)")
                    }
                    usleep(20_000)
                }
                return (submitted, unrecoverable)
            }
        }
        XCTAssertTrue(acknowledged.wait(for: 5, seconds: 60), "the trickle did not get going")
        for node in 1...3 {
            try cluster.restartNode(node)
            XCTAssertTrue(cluster.waitUntilServing(node, "POST\t/api/reply/start", "POST\t/api/reply/submit"),
                          "node \(node) served nothing within 30 s of its restart")
        }
        done.set()
        let results = try XCTUnwrap(load.wait(seconds: 120), "the trickle did not stop")
        XCTAssertEqual(results.flatMap(\.unrecoverable), [], "requests failed that the page would not retry")
        let submitted = results.flatMap(\.submitted)
        let stored = Set(try storedParticipants(cluster, packID: packID))
        XCTAssertEqual(submitted.filter { !stored.contains($0) }, [], "acknowledged replies missing")
        ReliabilityProbe.report("cluster-experiment-rolling-restart", ["participants": submitted.count, "unrecoverable": 0])
    }

    // MARK: - Helpers

    static func participant(_ index: Int) -> ParticipantFixture {
        ParticipantFixture(no: "C\(100_000 + index)", sex: 2, age: 25)
    }

    static func submissionID(_ index: Int) -> String { "cluster-\(100_000 + index)" }

    /// Runs `request` again after 100 ms while it answers 502 or 503 (or nothing), 50 times at most.
    static func retrying(_ request: () throws -> HTTPResponse) -> HTTPResponse? {
        var last: HTTPResponse?
        for _ in 1...50 {
            last = try? request()
            if let status = last?.status, ![502, 503].contains(status) { return last }
            usleep(100_000)
        }
        return last
    }

    /// 50 participants start, then submit at once (2 ms apart); each submit's status in index order
    /// (-1: no HTTP answer). `acknowledged` counts the 200s as they come.
    static func fiftySubmits(http: ReliabilityHTTP, packID: Int, acknowledged: SharedCounter) -> [Int] {
        let started = SharedCounter()
        return ReliabilityThreads.run(clients) { index -> Int in
            let fixture = participant(index)
            let start = retrying { try http.post("/api/reply/start", json: fixture.details) }
            started.add()
            _ = started.wait(for: clients, seconds: 60)
            guard start?.status == 200, let object = start?.json as? [String: Any],
                  let pairs = object["pic_pairs"] as? [[String]] else { return -2 }
            // Spread over a second, so a failure after about 20 acknowledgements lands among them.
            usleep(UInt32(index) * 20_000)
            let body = fixture.submit(packID: packID, pairs: pairs, submissionID: submissionID(index))
            let status = (try? http.post("/api/reply/submit", json: body))?.status ?? -1
            if status == 200 { acknowledged.add() }
            return status
        }
    }

    /// A cluster with a pack; 50 participants start, then submit at once, and `failure` runs after
    /// about 20 acknowledgements. Checks what every failure must keep — no acknowledged reply lost
    /// or stored twice, every other client's retry with its submission_id stored — and returns each
    /// client's first submit status and how many were acknowledged when the failure began.
    private func fiftySubmits(around failure: (ClusterStack) throws -> Void) throws
        -> (cluster: ClusterStack, http: ReliabilityHTTP, statuses: [Int], ackedBefore: Int) {
        let cluster = try startCluster(environment: Self.settings)
        let packID = try uploadPack(cluster)
        let http = ReliabilityHTTP(port: cluster.port)
        let acknowledged = SharedCounter()
        let load = ReliabilityThreads.Background { () -> [Int] in
            Self.fiftySubmits(http: http, packID: packID, acknowledged: acknowledged)
        }
        XCTAssertTrue(acknowledged.wait(for: 20, seconds: 60), "the submits did not get going")
        let ackedBefore = acknowledged.current
        try failure(cluster)
        let statuses = try XCTUnwrap(load.wait(seconds: 120), "the clients did not finish")
        let acked = Set(statuses.indices.filter { statuses[$0] == 200 })

        let stored = try storedParticipants(cluster, packID: packID)
        XCTAssertEqual(stored.count, Set(stored).count, "a reply is stored twice: \(stored.sorted())")
        XCTAssertEqual(acked.map { Self.participant($0).no }.filter { !stored.contains($0) }, [], "acknowledged replies lost")
        try retryUnacknowledged(http: http, packID: packID, acked: acked)
        XCTAssertEqual(Set(try storedParticipants(cluster, packID: packID)).count, Self.clients)
        return (cluster, http, statuses, ackedBefore)
    }

    /// The unacknowledged clients submit again with their submission_id, as the page would; each must be 200.
    private func retryUnacknowledged(http: ReliabilityHTTP, packID: Int, acked: Set<Int>) throws {
        let answers = (1...5).map { [PackFixture.fileName($0, "ori"), PackFixture.fileName($0, "inv")] }
        for index in 0..<Self.clients where !acked.contains(index) {
            let body = Self.participant(index).submit(packID: packID, pairs: answers, submissionID: Self.submissionID(index))
            let retried = Self.retrying { try http.post("/api/reply/submit", json: body) }
            XCTAssertEqual(retried?.status, 200, "retry of client \(index): \(retried?.text ?? "no answer")")
        }
    }

    /// A 5-pair pack for women 20–29 through the cluster's Nginx; its id.
    private func uploadPack(_ cluster: ClusterStack) throws -> Int {
        let body = PackFixture(name: "cluster", pairs: 5).body()
        let created = try cluster.http.request("POST", "/api/admin/create", credentials: TestStack.developmentAccount,
                                               headers: ["Content-Type: \(body.contentType)"], body: body.bytes)
        guard created.status == 200, created.text.hasPrefix("Pack "), created.text.hasSuffix(" Added."),
              let id = Int(created.text.dropFirst(5).dropLast(7)) else {
            throw StackError("the pack upload answered \(created.status): \(created.text.prefix(300))")
        }
        return id
    }

    /// The `no` of every stored reply of the pack, from the JSON download through Nginx.
    private func storedParticipants(_ cluster: ClusterStack, packID: Int) throws -> [String] {
        let download = try cluster.http.request("GET", "/api/admin/download?id=\(packID)", credentials: TestStack.developmentAccount)
        guard download.status == 200, let pack = download.json as? [String: Any],
              let replies = pack["replies"] as? [[String: Any]] else {
            throw StackError("the download answered \(download.status): \(download.text.prefix(300))")
        }
        return replies.compactMap { $0["no"] as? String }
    }
}
