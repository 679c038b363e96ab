#if canImport(Glibc)
import Glibc
#endif
import Foundation
import PsyxTestSupport

/// `nginx/dev cluster up` for one test: a PostgreSQL primary with a synchronous standby, `nodes`
/// responders of the built psyx and one Nginx over them, in a fresh temporary folder on a free
/// port — started, restarted, promoted and stopped by the very script an operator runs. Its
/// processes live in sessions of their own; they are found through the pid files under
/// `run/cluster/` and each server's `postmaster.pid`.
///
/// `stop()` runs `nginx/dev cluster down` and fails when anything is left behind or did not
/// stop on SIGTERM.
final class ClusterStack {
    let directory: URL
    let runDirectory: URL
    /// PSYX_DATA: the root of the node directories (`node1`, `node2`, …).
    let dataDirectory: URL
    let nodes: Int
    private(set) var port = 0
    /// The PSYX_* settings the script (and so every psyx) runs with.
    private var settings: [String: String] = [:]
    private var stopped = false

    var http: HTTPClient { HTTPClient(baseURL: "http://127.0.0.1:\(port)", scratch: directory) }
    var clusterDirectory: URL { runDirectory.appendingPathComponent("cluster") }
    /// The clients' pgpass (the psyx role's password), for PGPASSFILE.
    var passwordFile: URL { clusterDirectory.appendingPathComponent("pgpass") }

    /// Starts the whole cluster; `environment` adds PSYX_* settings for every psyx (the caller's
    /// own PSYX_* variables are not passed on).
    init(nodes: Int = 3, environment: [String: String] = [:]) throws {
        directory = URL(fileURLWithPath: "/tmp").appendingPathComponent("psyx-cl-\(UUID().uuidString.prefix(8).lowercased())")
        runDirectory = directory.appendingPathComponent("run")
        dataDirectory = directory.appendingPathComponent("data")
        self.nodes = nodes
        for folder in [runDirectory, dataDirectory] {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        }
        let keyFile = directory.appendingPathComponent("relocation.key")
        try Data((TestStack.relocationKey + "\n").utf8).write(to: keyFile)
        settings = environment.merging([
            "PSYX_RUN": runDirectory.path, "PSYX_DATA": dataDirectory.path,
            "PSYX_BIN": try RepositoryLayout.psyxExecutable().path, "PSYX_RELOCATION_KEY_FILE": keyFile.path,
        ]) { $1 }
        do {
            try start()
        } catch {
            let diagnostics = self.diagnostics()
            try? stop()
            throw StackError("\(error)\n\(diagnostics)")
        }
    }

    /// `cluster up` on a free port, with another one when a program took it first.
    private func start() throws {
        for attempt in 1...3 {
            port = try FreePort.pick()
            settings["PSYX_PORT"] = String(port)
            let result = try script(["up", String(nodes)])
            if result.status == 0 { return }
            let output = result.output + result.standardError
            if attempt < 3 && diagnostics().contains("Address already in use") { continue }
            throw StackError("nginx/dev cluster up failed (exit \(result.status)):\n\(output.suffix(3000))")
        }
    }

    /// `nginx/dev cluster WORDS…` with this cluster's settings.
    @discardableResult
    func script(_ words: [String]) throws -> Command.Result {
        let environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("PSYX_") }.merging(settings) { $1 }
        return try Command.run("bash", [RepositoryLayout.devScript.path, "cluster"] + words,
                               environment: environment, scratch: directory)
    }

    @discardableResult
    private func succeed(_ words: [String]) throws -> String {
        let result = try script(words)
        guard result.status == 0 else {
            throw StackError("nginx/dev cluster \(words.joined(separator: " ")) failed (exit \(result.status)): \(result.standardError)\(result.output)")
        }
        return result.output
    }

    // MARK: - The nodes

    func nodeDataDirectory(_ node: Int) -> URL { dataDirectory.appendingPathComponent("node\(node)") }
    func nodeSocket(_ node: Int) -> String { clusterDirectory.appendingPathComponent("node\(node)/psyx.sock").path }

    /// The pid node `node` runs as now (its pid file).
    func nodePID(_ node: Int) throws -> Int32 {
        let file = clusterDirectory.appendingPathComponent("node\(node)/psyx.pid")
        guard let text = try? String(contentsOf: file, encoding: .utf8),
              let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw StackError("no pid in \(file.path)")
        }
        return pid
    }

    /// SIGKILL to node `node`, as a crash or a lost machine would end it; returns once it is gone.
    func killNode(_ node: Int) throws {
        try killAndWait([try nodePID(node)], "node \(node)")
    }

    /// `nginx/dev cluster restart N`: SIGTERM when it runs, then a new psyx on the same data directory.
    func restartNode(_ node: Int) throws {
        try succeed(["restart", String(node)])
    }

    /// Lines of node `node`'s request log (its `logs/api.log`) for any of `routes`, e.g.
    /// `POST\t/post_sentence`; with `sinceStart`, only those of the psyx running now (after its
    /// start line: a stopping psyx still logs the requests it finishes).
    func logLines(_ node: Int, _ routes: String..., sinceStart: Bool = false) -> Int {
        let log = nodeDataDirectory(node).appendingPathComponent("logs/api.log")
        var lines = ((try? String(contentsOf: log, encoding: .utf8)) ?? "").split(separator: "\n")[...]
        if sinceStart, let start = lines.lastIndex(where: { $0.contains("\tpsyx serving on ") }) {
            lines = lines[(start + 1)...]
        }
        return lines.filter { line in routes.contains { line.contains("\t\($0)\t") } }.count
    }

    /// Waits until node `node`'s new psyx has served one of `routes`: Nginx sends it requests again
    /// (at most the upstream's fail_timeout after its restart when a request found it down).
    func waitUntilServing(_ node: Int, _ routes: String..., seconds: Double = 30, while probe: () -> Void = {}) -> Bool {
        Wait.until(timeout: seconds) {
            probe()
            return routes.contains { logLines(node, $0, sinceStart: true) > 0 }
        }
    }

    // MARK: - PostgreSQL

    enum Server: String {
        case primary, standby
    }

    func serverDirectory(_ server: Server) throws -> URL {
        let record = clusterDirectory.appendingPathComponent("\(server.rawValue).dir")
        guard let path = try? String(contentsOf: record, encoding: .utf8) else { throw StackError("no \(record.path)") }
        return URL(fileURLWithPath: path.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// The multi-host connection string `cluster up` wrote for the tools (`psyx contents` …).
    func connectionString() throws -> String {
        try String(contentsOf: clusterDirectory.appendingPathComponent("database"), encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// `psyx levels`, `psyx contents` on the cluster's database, with node 1's data directory (the
    /// level folders Nginx serves).
    func relocationCLI() throws -> RelocationCLI {
        RelocationCLI(dataDirectory: nodeDataDirectory(1), scratch: directory,
                      settings: ["PSYX_DATABASE": try connectionString(), "PGPASSFILE": passwordFile.path])
    }

    /// The postmaster's pid of `server`, from its postmaster.pid.
    func postmasterPID(_ server: Server) throws -> Int32 {
        let file = try serverDirectory(server).appendingPathComponent("server/data/postmaster.pid")
        guard let text = try? String(contentsOf: file, encoding: .utf8),
              let first = text.split(separator: "\n").first, let pid = Int32(first) else {
            throw StackError("no pid in \(file.path)")
        }
        return pid
    }

    /// SIGKILL to the primary's postmaster and every process of it at once: the machine is gone,
    /// nothing is flushed or handed over.
    func killPrimary() throws {
        let postmaster = try postmasterPID(.primary)
        try killAndWait([postmaster] + ProcessTable.children(of: postmaster), "the PostgreSQL primary")
    }

    /// `nginx/dev cluster promote`: `pg_ctl promote --wait` on the standby.
    func promoteStandby() throws {
        try succeed(["promote"])
    }

    /// `query`'s rows (psql -At: columns joined by `|`) on `server`, or on whichever takes writes.
    func sql(_ query: String, on server: Server? = nil) throws -> [String] {
        let output = try succeed(["psql"] + (server.map { [$0.rawValue] } ?? []) + ["-At", "-v", "ON_ERROR_STOP=1", "-c", query])
        return output.split(separator: "\n").map(String.init)
    }

    // MARK: - Stopping

    private func killAndWait(_ pids: [Int32], _ what: String) throws {
        for pid in pids { kill(pid, SIGKILL) }
        guard Wait.until(timeout: 15, { pids.allSatisfy { !ProcessTable.isAlive($0) } }) else {
            throw StackError("\(what) (\(pids)) still alive 15 s after SIGKILL")
        }
    }

    /// `nginx/dev cluster down`; throws when it fails, reports a process that needed SIGKILL, or
    /// leaves a process of the cluster alive. The folder is removed when all went well.
    func stop() throws {
        guard !stopped else { return }
        stopped = true
        let pids = livePIDs()
        let result = try script(["down"])
        var problems: [String] = []
        if result.status != 0 { problems.append("nginx/dev cluster down exited \(result.status): \(result.standardError)") }
        if result.output.contains("did not stop") { problems.append(result.output) }
        let left = pids.filter { pid in !Wait.until(timeout: 5) { !ProcessTable.isAlive(pid) } }
        if !left.isEmpty { problems.append("processes left behind: \(left)") }
        if problems.isEmpty {
            try? FileManager.default.removeItem(at: directory)
        } else {
            throw StackError(problems.joined(separator: "; ") + "\n" + diagnostics())
        }
    }

    /// Every process the cluster runs now: nodes, Nginx (and its workers), both servers (and theirs).
    private func livePIDs() -> [Int32] {
        var pids = (1...nodes).compactMap { try? nodePID($0) }
        if let text = try? String(contentsOf: runDirectory.appendingPathComponent("nginx.pid"), encoding: .utf8),
           let nginx = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)) {
            pids += [nginx] + ProcessTable.children(of: nginx)
        }
        for server in [Server.primary, .standby] {
            if let postmaster = try? postmasterPID(server) { pids += [postmaster] + ProcessTable.children(of: postmaster) }
        }
        return pids.filter { ProcessTable.isAlive($0) }
    }

    /// The tails of every log, for failure messages (the folder is kept on failure).
    func diagnostics() -> String {
        var files = [runDirectory.appendingPathComponent("logs/error.log")]
        for node in 1...nodes {
            files.append(clusterDirectory.appendingPathComponent("node\(node)/psyx.out"))
            files.append(nodeDataDirectory(node).appendingPathComponent("logs/api.log"))
        }
        for server in [Server.primary, .standby] {
            if let folder = try? serverDirectory(server) { files.append(folder.appendingPathComponent("server/log")) }
        }
        return LogTails.text("cluster folder: \(directory.path)", files: files, lines: 12) { $0.path }
    }
}
