#if canImport(Glibc)
import Glibc
#endif
import Foundation
import PsyxTestSupport
import XCTest

/// `nginx/dev cluster nodes K`, `kill` and `standby stop|start` (nginx/dev.d/cluster-control.sh),
/// which `nginx/dev bench --cluster` drives, on a real cluster. By hand:
/// `swift build && swift test --filter ClusterControlEndToEndTests`.
final class ClusterControlEndToEndTests: EndToEndTestCase {
    /// `nodes 1` leaves node 1 alone in the upstream and stops the others; `nodes 3` starts them and
    /// Nginx sends them requests again.
    func testNodesKTakesRespondersOutOfTheUpstreamAndBringsThemBack() throws {
        let cluster = try startCluster()
        let others = [try cluster.nodePID(2), try cluster.nodePID(3)]
        try succeed(cluster, ["nodes", "1"])
        XCTAssertEqual(others.filter(ProcessTable.isAlive), [], "nodes 2 and 3 still run")
        let before = cluster.logLines(1, "GET\t/api/health")
        XCTAssertEqual(try cluster.http.repeatedGet("/api/health", count: 30), Array(repeating: 200, count: 30))
        XCTAssertEqual(cluster.logLines(1, "GET\t/api/health") - before, 30, "a request went to another node than 1")

        try succeed(cluster, ["nodes", "3"])
        XCTAssertEqual(try cluster.http.repeatedGet("/api/health", count: 30), Array(repeating: 200, count: 30))
        for node in 2...3 {
            XCTAssertGreaterThan(cluster.logLines(node, "GET\t/api/health", sinceStart: true), 0, "node \(node) got no request")
        }
    }

    /// `standby stop`: the primary commits alone (nothing streams, nothing waits); `standby start`:
    /// the standby catches up with what was committed meanwhile and is synchronous again.
    func testStandbyStopLetsThePrimaryCommitAloneAndStartMakesItSynchronousAgain() throws {
        let cluster = try startCluster()
        try succeed(cluster, ["standby", "stop"])
        XCTAssertEqual(try cluster.sql("SELECT count(*) FROM pg_stat_replication", on: .primary), ["0"])
        XCTAssertEqual(try cluster.sql("SELECT current_setting('synchronous_standby_names') = ''", on: .primary), ["t"])
        _ = try cluster.sql("CREATE TABLE control_probe AS SELECT 1 AS x", on: .primary)   // returns: no standby awaited

        try succeed(cluster, ["standby", "start"])
        XCTAssertEqual(try cluster.sql("SELECT sync_state FROM pg_stat_replication", on: .primary), ["sync"])
        XCTAssertEqual(try cluster.sql("SELECT count(*) FROM control_probe", on: .standby), ["1"])
    }

    /// `kill N` and `kill primary` end the processes with SIGKILL and say when the signal went out.
    func testKillEndsANodeOrThePrimaryAndSaysWhen() throws {
        let cluster = try startCluster()
        let node = try cluster.nodePID(2)
        let before = Date().timeIntervalSince1970
        let killed = try succeed(cluster, ["kill", "2"])
        XCTAssertFalse(ProcessTable.isAlive(node))
        let at = try XCTUnwrap(Double(killed.split(separator: " ").last?.dropLast(2) ?? ""), "no time in: \(killed)")
        XCTAssertTrue((before...Date().timeIntervalSince1970).contains(at), "\(at) is not when the kill ran")
        XCTAssertTrue(killed.hasPrefix("Killed node 2 (\(node)) at "), killed)

        let postmaster = try cluster.postmasterPID(.primary)
        let children = ProcessTable.children(of: postmaster)
        try succeed(cluster, ["kill", "primary"])
        XCTAssertEqual(([postmaster] + children).filter(ProcessTable.isAlive), [], "a process of the primary survived")
        XCTAssertNotEqual(try cluster.script(["kill", "primary"]).status, 0, "a dead primary was killed again")
    }

    @discardableResult
    private func succeed(_ cluster: ClusterStack, _ words: [String]) throws -> String {
        let result = try cluster.script(words)
        guard result.status == 0 else {
            throw StackError("nginx/dev cluster \(words.joined(separator: " ")) failed (exit \(result.status)): \(result.standardError)\(result.output)")
        }
        return result.output
    }
}
