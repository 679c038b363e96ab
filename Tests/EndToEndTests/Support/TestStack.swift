#if canImport(Glibc)
import Glibc
#endif
import Foundation
import PsyxTestSupport

/// The built `psyx` and a real Nginx, started for one test in a fresh temporary
/// folder and wired exactly as `nginx/dev up` wires them: the Nginx config is the
/// one `nginx/dev stack-config` generates around the repository's nginx/psyx.conf.
///
/// `stop()` shuts both down with SIGTERM and fails when a process is left behind
/// or psyx does not exit cleanly.
final class TestStack {
    /// The account in htpasswd.example (the README states it).
    static let developmentAccount = HTTPClient.Credentials(user: "admin", password: "psyx-dev")

    let directory: URL
    let runDirectory: URL
    let dataDirectory: URL
    let socketPath: String
    private(set) var port = 0
    private var psyx = Process()
    /// The PSYX_* settings psyx was started with, for `restartPsyx`.
    private(set) var psyxEnvironment: [String: String] = [:]
    private var nginx: Process?
    /// The stand-in on the socket when the stack was started with one instead of psyx.
    private(set) var fake: FakeResponder?
    private var nginxWorkers: [Int32] = []
    private var stopped = false

    /// The responder's process id (for /proc).
    var psyxPID: Int32 { psyx.processIdentifier }
    /// Requests through Nginx.
    var http: HTTPClient { HTTPClient(baseURL: "http://127.0.0.1:\(port)", scratch: directory) }
    /// Requests straight to the responder's socket.
    var fastCGI: FastCGIClient { FastCGIClient(socketPath: socketPath) }

    /// Starts both; `environment` adds PSYX_* settings for psyx (the caller's own
    /// PSYX_* variables are not passed on, so a developer's shell cannot change a test).
    /// With `fakeResponder`, a FakeResponder takes psyx's place on the socket.
    init(environment: [String: String] = [:], fakeResponder: Bool = false) throws {
        let base = FileManager.default.temporaryDirectory.path.count < 40
            ? FileManager.default.temporaryDirectory : URL(fileURLWithPath: "/tmp")
        directory = base.appendingPathComponent("psyx-e2e-\(UUID().uuidString.prefix(8).lowercased())")
        runDirectory = directory.appendingPathComponent("run")
        dataDirectory = directory.appendingPathComponent("data")
        socketPath = runDirectory.appendingPathComponent("psyx.sock").path
        for folder in [runDirectory, dataDirectory] {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        }
        do {
            if fakeResponder {
                fake = try FakeResponder(socketPath: socketPath)
            } else {
                try startPsyx(environment: environment)
            }
            try startNginx()
        } catch {
            let diagnostics = self.diagnostics()
            try? stop()
            throw StackError("\(error)\n\(diagnostics)")
        }
    }

    // MARK: - Starting

    /// Starts a new psyx on the same data directory and socket after the previous one
    /// ended (killed by a test, as a crash would): what systemd's Restart= does.
    /// `environment` replaces the PSYX_* settings when given.
    func restartPsyx(environment: [String: String]? = nil) throws {
        guard waitForExit(psyx, seconds: 10) else {
            throw StackError("restartPsyx: psyx (\(psyx.processIdentifier)) is still running")
        }
        // A killed psyx leaves its socket file behind: the wait below must see the new one.
        unlink(socketPath)
        psyx = Process()
        try startPsyx(environment: environment ?? psyxEnvironment)
    }

    /// The relocation API's shared key every stack's psyx gets (unless the test sets its own file).
    static let relocationKey = "e2e-relocation-key-0123456789"

    private func startPsyx(environment: [String: String]) throws {
        var environment = environment
        if environment["PSYX_RELOCATION_KEY_FILE"] == nil {
            let keyFile = runDirectory.appendingPathComponent("relocation.key")
            try Data((Self.relocationKey + "\n").utf8).write(to: keyFile)
            environment["PSYX_RELOCATION_KEY_FILE"] = keyFile.path
        }
        psyxEnvironment = environment
        var childEnvironment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("PSYX_") }
        childEnvironment.merge(environment) { $1 }
        psyx.executableURL = try RepositoryLayout.psyxExecutable()
        psyx.arguments = ["serve", "--data", dataDirectory.path, "--listen", "unix:\(socketPath)"]
        psyx.environment = childEnvironment
        psyx.standardInput = FileHandle.nullDevice
        let output = try outputFile("psyx.out")
        psyx.standardOutput = output
        psyx.standardError = output
        try psyx.run()
        try waitUntil(seconds: 20, "psyx to open \(socketPath)") {
            guard psyx.isRunning else { throw StackError("psyx exited with status \(psyx.terminationStatus) at start") }
            return FileManager.default.fileExists(atPath: socketPath)
        }
    }

    /// Starts Nginx on a free port, with a new port when another program took it first.
    private func startNginx() throws {
        let executable = try RepositoryLayout.nginxExecutable()
        for attempt in 1...3 {
            port = try FreePort.pick()
            let config = try generateConfig()
            let process = Process()
            process.executableURL = executable
            process.arguments = ["-p", runDirectory.path, "-c", config, "-g", "daemon off;"]
            process.standardInput = FileHandle.nullDevice
            let output = try outputFile("nginx.out")
            process.standardOutput = output
            process.standardError = output
            try process.run()
            nginx = process

            var portTaken = false
            try waitUntil(seconds: 20, "Nginx to answer /api/health with 200 on port \(port)") {
                if !process.isRunning {
                    if attempt < 3 && diagnostics().contains("Address already in use") {
                        portTaken = true
                        return true
                    }
                    throw StackError("nginx exited with status \(process.terminationStatus) at start")
                }
                return (try? http.request("GET", "/api/health", timeoutSeconds: 2).status) == 200
            }
            if portTaken { continue }
            nginxWorkers = ProcessTable.children(of: process.processIdentifier)
            guard !nginxWorkers.isEmpty else { throw StackError("nginx started no worker process") }
            return
        }
    }

    /// SIGHUP to Nginx: new workers start and the old ones exit once idle, closing the
    /// upstream connections they kept open; returns once the old workers are gone.
    func reloadNginx() throws {
        guard let nginx, nginx.isRunning else { throw StackError("nginx is not running") }
        let old = nginxWorkers
        kill(nginx.processIdentifier, SIGHUP)
        try waitUntil(seconds: 20, "Nginx's old workers to exit after a reload") {
            old.allSatisfy { kill($0, 0) != 0 }
        }
        try waitUntil(seconds: 20, "Nginx's new workers to start") {
            !ProcessTable.children(of: nginx.processIdentifier).isEmpty
        }
        nginxWorkers = ProcessTable.children(of: nginx.processIdentifier)
    }

    /// `nginx/dev stack-config`: the one generator shared with `nginx/dev up`.
    private func generateConfig() throws -> String {
        let result = try Command.run("bash", [RepositoryLayout.devScript.path, "stack-config",
                                              runDirectory.path, String(port), dataDirectory.path, socketPath,
                                              RepositoryLayout.developmentPasswordFile.path],
                                     scratch: directory)
        let path = result.output.trimmingCharacters(in: .whitespacesAndNewlines)
        guard result.status == 0, !path.isEmpty else {
            throw StackError("nginx/dev stack-config failed (exit \(result.status)): \(result.standardError)")
        }
        return path
    }

    private func outputFile(_ name: String) throws -> FileHandle {
        try Command.openForWriting(runDirectory.appendingPathComponent(name))
    }

    // MARK: - Stopping

    /// SIGTERM to Nginx, then to psyx; throws when anything stays alive or psyx
    /// does not exit with status 0. The folder is removed when all went well.
    func stop() throws {
        guard !stopped else { return }
        stopped = true
        var problems: [String] = []

        if let nginx, nginx.isRunning {
            nginx.terminate()
            if !waitForExit(nginx, seconds: 10) {
                kill(nginx.processIdentifier, SIGKILL)
                problems.append("nginx did not stop within 10 s of SIGTERM")
            }
        }
        for worker in nginxWorkers where !waitUntilGone(worker, seconds: 5) {
            kill(worker, SIGKILL)
            problems.append("nginx worker \(worker) was left behind")
        }

        fake?.stop()
        let psyxPID = psyx.processIdentifier
        if psyxPID != 0 {
            if psyx.isRunning {
                psyx.terminate()
                if !waitForExit(psyx, seconds: 15) {
                    kill(psyxPID, SIGKILL)
                    problems.append("psyx did not stop within 15 s of SIGTERM")
                } else if psyx.terminationReason != .exit || psyx.terminationStatus != 0 {
                    problems.append("psyx did not exit cleanly on SIGTERM (status \(psyx.terminationStatus), reason \(psyx.terminationReason.rawValue))")
                }
            } else {
                problems.append("psyx had exited before the end of the test (status \(psyx.terminationStatus))")
            }
            if !waitUntilGone(psyxPID, seconds: 5) {
                problems.append("psyx (\(psyxPID)) is still alive")
            }
        }

        if problems.isEmpty {
            try? FileManager.default.removeItem(at: directory)
        } else {
            throw StackError(problems.joined(separator: "; ") + "\n" + diagnostics())
        }
    }

    /// The tails of every log, for failure messages (the folder is kept on failure).
    func diagnostics() -> String {
        let files = [runDirectory.appendingPathComponent("psyx.out"),
                     runDirectory.appendingPathComponent("nginx.out"),
                     runDirectory.appendingPathComponent("logs/error.log"),
                     dataDirectory.appendingPathComponent("logs/api.log")]
        return LogTails.text("stack folder: \(directory.path)", files: files, lines: 15) { $0.lastPathComponent }
    }

    // MARK: - Waiting

    private func waitUntil(seconds: Double, _ what: String, _ condition: () throws -> Bool) throws {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try condition() { return }
            usleep(50_000)
        }
        throw StackError("timed out after \(Int(seconds)) s waiting for \(what)")
    }

    private func waitForExit(_ process: Process, seconds: Double) -> Bool {
        Wait.until(timeout: seconds) { !process.isRunning }
    }

    private func waitUntilGone(_ pid: Int32, seconds: Double) -> Bool {
        Wait.until(timeout: seconds) { !ProcessTable.isAlive(pid) }
    }
}
