import PsyxTestSupport
import XCTest

/// A test case that starts real stacks and always stops them: tearDown fails the
/// test when a stack leaves a process behind or psyx does not exit cleanly.
class EndToEndTestCase: XCTestCase {
    /// The stacks this test started, in order.
    private(set) var stacks: [TestStack] = []

    /// A fresh psyx + Nginx for this test (see TestStack).
    func startStack(environment: [String: String] = [:], fakeResponder: Bool = false) throws -> TestStack {
        let stack = try TestStack(environment: environment, fakeResponder: fakeResponder)
        stacks.append(stack)
        return stack
    }

    /// Runs `body` with the `PSYX_DATABASE` setting of a PostgreSQL schema of this test's own on the
    /// test server, kept until `body` returns.
    func onPostgreSQL(_ body: ([String: String]) throws -> Void) throws {
        let schema = try PostgreSQLTestSchema()
        try withExtendedLifetime(schema) { try body(["PSYX_DATABASE": schema.connectionString]) }
    }

    /// The clusters this test started (`nginx/dev cluster up`), in order.
    private(set) var clusters: [ClusterStack] = []

    /// A fresh cluster for this test (see ClusterStack).
    func startCluster(nodes: Int = 3, environment: [String: String] = [:]) throws -> ClusterStack {
        let cluster = try ClusterStack(nodes: nodes, environment: environment)
        clusters.append(cluster)
        return cluster
    }

    override func tearDownWithError() throws {
        let started = stacks
        let startedClusters = clusters
        stacks = []
        clusters = []
        var failures: [String] = []
        for stack in started {
            do { try stack.stop() } catch { failures.append(String(describing: error)) }
        }
        for cluster in startedClusters {
            do { try cluster.stop() } catch { failures.append(String(describing: error)) }
        }
        if !failures.isEmpty {
            throw StackError(failures.joined(separator: "\n"))
        }
        try super.tearDownWithError()
    }
}
