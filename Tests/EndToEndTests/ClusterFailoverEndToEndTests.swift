#if canImport(Glibc)
import Glibc
#endif
import Foundation
import PsyxTestSupport
import XCTest

/// Issue 19's failures on a real cluster (`nginx/dev cluster up`: three responders behind one Nginx,
/// a PostgreSQL primary with a synchronous standby), under the relocation API's writes — what runs
/// on PostgreSQL before the experiment store does (ClusterExperimentEndToEndTests has the same
/// failures under starts and submits). Each test prints its figures on a `RELIABILITY cluster-…` line.
final class ClusterFailoverEndToEndTests: EndToEndTestCase {
    /// A responder killed with SIGKILL among eight clients writing at once: Nginx sends what that
    /// node held and what comes next to the others, so no request fails; every acknowledged write
    /// is stored once; the node serves again soon after it is restarted.
    func testKillingAResponderFailsNoRequestLosesNoWriteAndItRejoins() throws {
        let cluster = try startCluster()
        let cids = 1...240
        try SentenceWrites.register(cids, in: cluster)
        let writes = SentenceWrites(cluster: cluster)
        let acknowledged = SharedCounter()

        // Eight clients, each posting its share of the cids with a health probe after every fourth.
        let load = ReliabilityThreads.Background { () -> [[SentenceWrites.Attempt]] in
            ReliabilityThreads.run(8) { client in
                var attempts: [SentenceWrites.Attempt] = []
                for cid in cids where cid % 8 == client {
                    let attempt = writes.post(cid: cid, count: SentenceWrites.count(cid))
                    if attempt.acknowledged { acknowledged.add() }
                    attempts.append(attempt)
                    if attempts.count % 4 == 0 { attempts.append(writes.healthAttempt()) }
                }
                return attempts
            }
        }
        XCTAssertTrue(acknowledged.wait(for: 60, seconds: 60), "the writes did not get going")
        let killed = Date()
        try cluster.killNode(2)
        let servedBefore = (1...3).map { cluster.logLines($0, "POST\t/post_sentence") }   // node 2's log is final now
        let outcome = try XCTUnwrap(load.wait(seconds: 120), "the clients did not finish within 120 s").flatMap { $0 }
        let servedAfter = (1...3).map { cluster.logLines($0, "POST\t/post_sentence") }

        let posts = outcome.filter { $0.cid != 0 }
        let failed = outcome.filter { !$0.acknowledged }
        XCTAssertEqual(failed.map { "\($0.cid == 0 ? "health" : "cid \($0.cid)"): \($0.status)" }, [],
                       "requests failed although two nodes were up")
        XCTAssertEqual(posts.count, cids.count)
        let afterKill = posts.filter { $0.sent > killed }.count
        XCTAssertGreaterThanOrEqual(afterKill, 40, "the node was killed too late to matter")
        XCTAssertEqual(servedAfter[1], servedBefore[1], "node 2 served after it was killed")
        XCTAssertGreaterThan(servedAfter[0], servedBefore[0], "node 1 took no writes after the kill")
        XCTAssertGreaterThan(servedAfter[2], servedBefore[2], "node 3 took no writes after the kill")

        let stored = try SentenceWrites.stored(in: cluster)
        XCTAssertEqual(SentenceWrites.problems(acknowledged: posts.filter(\.acknowledged), stored: stored), [])
        XCTAssertEqual(Set(stored.keys), Set(cids), "a write that was never acknowledged is stored, or one is missing")

        // Restarted, the node is tried again once its fail_timeout has passed, and serves.
        let restarted = Date()
        try cluster.restartNode(2)
        var probes: [Int] = []
        XCTAssertTrue(cluster.waitUntilServing(2, "GET\t/api/health") { probes.append(writes.health()) },
                      "node 2 served nothing within 30 s of its restart")
        XCTAssertEqual(probes.filter { $0 != 200 }, [], "health failed while node 2 rejoined")
        let retriedByNginx = (try? String(contentsOf: cluster.runDirectory.appendingPathComponent("logs/error.log"), encoding: .utf8))?
            .split(separator: "\n").filter { $0.contains("node2/psyx.sock") }.count ?? 0

        ReliabilityProbe.report("cluster-kill-node", [
            "requests": outcome.count, "posts": posts.count, "posts_after_kill": afterKill, "failed": failed.count,
            "acknowledged": posts.filter(\.acknowledged).count, "stored": stored.count, "lost": 0,
            "nginx_errors_naming_node2": retriedByNginx,
            "posts_by_node_after_kill": (0..<3).map { servedAfter[$0] - servedBefore[$0] }.map(String.init).joined(separator: "/"),
            "rejoined_seconds": String(format: "%.1f", Date().timeIntervalSince(restarted)),
        ])
    }

    /// The primary killed with SIGKILL among four clients writing at once, the standby promoted a
    /// second later: nothing the primary acknowledged is missing on the promoted server (the
    /// standby had flushed every commit before it was answered), writes in between are answered
    /// with an error, and the clients' retries succeed once the nodes reach the new primary
    /// through their multi-host connection string — no node restarted.
    func testKillingThePrimaryLosesNoAcknowledgedWriteAndThePromotedStandbyTakesOver() throws {
        let cluster = try startCluster()
        let cids = 1...200
        try SentenceWrites.register(cids, in: cluster)
        let nodePIDs = try (1...3).map { try cluster.nodePID($0) }
        let writes = SentenceWrites(cluster: cluster)
        let acknowledged = SharedCounter()
        let done = SharedFlag()

        // Four clients; each retries a failed write every 50 ms until it is acknowledged (90 s at most).
        let load = ReliabilityThreads.Background { () -> [[SentenceWrites.Attempt]] in
            ReliabilityThreads.run(4) { client in
                var attempts: [SentenceWrites.Attempt] = []
                for cid in cids where cid % 4 == client {
                    let deadline = Date().addingTimeInterval(90)
                    while Date() < deadline {
                        let attempt = writes.post(cid: cid, count: SentenceWrites.count(cid))
                        attempts.append(attempt)
                        if attempt.acknowledged { acknowledged.add(); break }
                        usleep(50_000)
                    }
                }
                return attempts
            }
        }
        // The probe: health every 50 ms, until the writes are done.
        let probe = ReliabilityThreads.Background { () -> [(Date, Int)] in
            var answers: [(Date, Int)] = []
            while !done.isSet {
                answers.append((Date(), writes.health()))
                usleep(50_000)
            }
            return answers
        }

        XCTAssertTrue(acknowledged.wait(for: 60, seconds: 60), "the writes did not get going")
        try cluster.killPrimary()
        let killed = Date()   // every process of the primary is gone: nothing after this was acknowledged by it
        usleep(1_000_000)   // the time an operator's (or a tool's) check takes to notice
        let promoting = Date()
        try cluster.promoteStandby()
        let promoted = Date()   // pg_ctl promote --wait has seen the standby take writes
        let outcome = try XCTUnwrap(load.wait(seconds: 150), "the clients did not finish").flatMap { $0 }
        done.set()
        let health = try XCTUnwrap(probe.wait(seconds: 30), "the probe did not finish")

        XCTAssertEqual(try cluster.sql("SELECT pg_is_in_recovery()", on: .standby), ["f"], "the standby was not promoted")
        let acked = outcome.filter(\.acknowledged)
        let ackedBeforeKill = acked.filter { $0.answered < killed }
        let failed = outcome.filter { !$0.acknowledged }
        XCTAssertEqual(Set(acked.map(\.cid)), Set(cids), "a write never succeeded, even on retry")
        XCTAssertGreaterThan(failed.count, 0, "no write fell into the switch: the test proved nothing")
        XCTAssertEqual(failed.filter { ![500, 502, 503].contains($0.status) }.map { "cid \($0.cid): \($0.status)" }, [],
                       "a write during the switch got something other than a server error")

        let stored = try SentenceWrites.stored(in: cluster, on: .standby)
        XCTAssertEqual(SentenceWrites.problems(acknowledged: acked, stored: stored), [], "acknowledged writes lost in the failover")
        XCTAssertEqual(Set(stored.keys), Set(cids))
        XCTAssertEqual(try (1...3).map { try cluster.nodePID($0) }, nodePIDs, "a node was restarted")

        // Seconds without service: from the kill to the first write (and health) answered 200 after it.
        let firstWriteAfter = acked.filter { $0.sent > killed }.map(\.answered).min()
        let firstHealthAfter = health.filter { $0.0 > killed && $0.1 == 200 }.map(\.0).min()
        let writeOutage = try XCTUnwrap(firstWriteAfter, "no write succeeded after the kill").timeIntervalSince(killed)
        let healthOutage = try XCTUnwrap(firstHealthAfter, "health never answered 200 after the kill").timeIntervalSince(killed)
        XCTAssertLessThan(writeOutage, 30, "writes were down for \(writeOutage) s")
        let failedHealth = health.filter { $0.1 != 200 }
        XCTAssertEqual(failedHealth.filter { ![500, 503].contains($0.1) }.map(\.1), [], "health answered neither 200 nor a server error")

        ReliabilityProbe.report("cluster-kill-primary", [
            "writes": cids.count, "attempts": outcome.count, "acknowledged_before_kill": ackedBeforeKill.count,
            "lost": 0, "failed_during_switch": failed.count,
            "failed_statuses": Set(failed.map(\.status)).sorted().map(String.init).joined(separator: "/"),
            "kill_to_promote_seconds": String(format: "%.2f", promoting.timeIntervalSince(killed)),
            "promote_seconds": String(format: "%.2f", promoted.timeIntervalSince(promoting)),
            "writes_down_seconds": String(format: "%.2f", writeOutage),
            "first_write_after_promote_began_seconds": String(format: "%.2f", try XCTUnwrap(firstWriteAfter).timeIntervalSince(promoting)),
            "health_down_seconds": String(format: "%.2f", healthOutage), "health_failed": failedHealth.count,
        ])
    }

    /// Every responder restarted in turn (SIGTERM, start, wait until Nginx sends it requests again)
    /// under a steady trickle of writes and health probes: a request that fails is a 502 or 503 that
    /// the client's retry recovers, never anything else, and the last acknowledged count of every
    /// cid is stored.
    func testRollingRestartFailsNothingARetryWouldNotRecover() throws {
        let cluster = try startCluster()
        let cids = 1...60
        try SentenceWrites.register(cids, in: cluster)
        let writes = SentenceWrites(cluster: cluster)
        let done = SharedFlag()
        let acknowledged = SharedCounter()

        // Two clients, each cycling through its cids with a new count every round and a health probe
        // after every write, 20 ms apart; each request retried on 502/503 as a client that retries does.
        let load = ReliabilityThreads.Background { () -> (tries: [[SentenceWrites.Attempt]], last: [Int: Int]) in
            let clients = ReliabilityThreads.run(2) { client -> (tries: [[SentenceWrites.Attempt]], last: [Int: Int]) in
                var tries: [[SentenceWrites.Attempt]] = []
                var last: [Int: Int] = [:]
                var round = 0
                while !done.isSet {
                    for cid in cids where cid % 2 == client && !done.isSet {
                        let count = SentenceWrites.count(cid, round: round)
                        let post = SentenceWrites.retrying { writes.post(cid: cid, count: count) }
                        if post.last?.acknowledged == true { last[cid] = count; acknowledged.add() }
                        tries += [post, SentenceWrites.retrying { writes.healthAttempt() }]
                        usleep(20_000)
                    }
                    round += 1
                }
                return (tries, last)
            }
            return (clients.flatMap(\.tries), clients.reduce(into: [:]) { $0.merge($1.last) { $1 } })
        }
        XCTAssertTrue(acknowledged.wait(for: 20, seconds: 60), "the trickle did not get going")
        let oldPIDs = try (1...3).map { try cluster.nodePID($0) }
        var rejoinSeconds: [String] = []
        for node in 1...3 {
            let started = Date()
            try cluster.restartNode(node)
            XCTAssertTrue(cluster.waitUntilServing(node, "POST\t/post_sentence", "GET\t/api/health"),
                          "node \(node) served nothing within 30 s of its restart")
            rejoinSeconds.append(String(format: "%.1f", Date().timeIntervalSince(started)))
        }
        usleep(500_000)
        done.set()
        let (requests, last) = try XCTUnwrap(load.wait(seconds: 120), "the trickle did not stop")

        let newPIDs = try (1...3).map { try cluster.nodePID($0) }
        XCTAssertTrue(zip(oldPIDs, newPIDs).allSatisfy { $0 != $1 }, "not every node was restarted: \(oldPIDs) → \(newPIDs)")
        let tries = requests.flatMap { $0 }
        let unrecoverable = requests.compactMap(\.last).filter { !$0.acknowledged }
        XCTAssertEqual(unrecoverable.map { "\($0.cid == 0 ? "health" : "cid \($0.cid)"): \($0.status)" }, [],
                       "requests failed in a way a retry on 502/503 would not recover")
        let stored = try SentenceWrites.stored(in: cluster)
        let mismatched = last.filter { stored[$0.key]?.count != $0.value || stored[$0.key]?.rows != 1 }
        XCTAssertEqual(mismatched.map { "cid \($0.key): acknowledged \($0.value), stored \(String(describing: stored[$0.key]))" }, [])

        let retried = tries.filter { !$0.acknowledged }
        ReliabilityProbe.report("cluster-rolling-restart", [
            "requests": requests.count, "writes": requests.filter { $0.first?.cid != 0 }.count,
            "failed_tries": retried.count, "their_statuses": Set(retried.map(\.status)).sorted().map(String.init).joined(separator: "/"),
            "unrecoverable": unrecoverable.count, "restart_to_serving_seconds": rejoinSeconds.joined(separator: "/"),
        ])
    }
}
