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
