import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The built `psyx` run as a researcher would run the relocation tools: `psyx --data DIR levels …`,
/// `contents …`, `relocate …`, with no PSYX_* variable from the developer's shell.
struct RelocationCLI {
    let dataDirectory: URL
    /// Where command output files go.
    let scratch: URL
    /// PSYX_* settings every command gets (PSYX_DATABASE for PostgreSQL).
    var settings: [String: String] = [:]

    /// The seed's example levels, in the layout nginx/psyx.conf serves (`levels/<name>`).
    static let exampleLevels = ["bronze", "0", "999", "levels/bronze",
                                "silver", "1000", "1999", "levels/silver",
                                "gold", "2000", "3001", "levels/gold"]

    func environment(_ extra: [String: String] = [:]) -> [String: String] {
        ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("PSYX_") }.merging(settings) { $1 }.merging(extra) { $1 }
    }

    /// Runs `psyx --data DIR <words>` to completion.
    func run(_ words: [String], environment extra: [String: String] = [:]) throws -> Command.Result {
        try Command.run(try RepositoryLayout.psyxExecutable().path, ["--data", dataDirectory.path] + words,
                        environment: environment(extra), scratch: scratch)
    }

    /// Runs it and fails unless it exits with 0; returns what it printed.
    @discardableResult
    func succeed(_ words: [String], environment extra: [String: String] = [:]) throws -> String {
        let result = try run(words, environment: extra)
        guard result.status == 0 else {
            throw StackError("psyx \(words.joined(separator: " ")) exited \(result.status): \(result.standardError)\(result.output)")
        }
        return result.output
    }

    /// Starts `psyx --data DIR <words>` in the background, its output in `<scratch>/<name>.out`.
    func start(_ words: [String], environment extra: [String: String] = [:], name: String) throws -> Process {
        let process = Process()
        process.executableURL = try RepositoryLayout.psyxExecutable()
        process.arguments = ["--data", dataDirectory.path] + words
        process.environment = environment(extra)
        process.standardInput = FileHandle.nullDevice
        let url = scratch.appendingPathComponent(name + ".out")
        FileManager.default.createFile(atPath: url.path, contents: nil)
        let output = try FileHandle(forWritingTo: url)
        process.standardOutput = output
        process.standardError = output
        try process.run()
        return process
    }

    func output(of name: String) -> String {
        (try? String(contentsOf: scratch.appendingPathComponent(name + ".out"), encoding: .utf8)) ?? ""
    }

    /// One row of `psyx contents list`: CID LEVEL FILENAME GENERATED UPDATED JOB…
    func contentRow(_ cid: Int) throws -> [String] {
        let list = try succeed(["contents", "list"])
        guard let line = list.split(separator: "\n").first(where: { $0.split(separator: " ").first == Substring(String(cid)) }) else {
            throw StackError("content \(cid) is not in `psyx contents list`:\n\(list)")
        }
        return line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
    }

    func levelFolder(_ level: String) -> URL {
        dataDirectory.appendingPathComponent("levels").appendingPathComponent(level)
    }

    /// The level folders holding `filename`, and every temporary copy left in any level folder.
    func holders(of filename: String) -> [String] {
        ["bronze", "silver", "gold"].filter {
            FileManager.default.fileExists(atPath: levelFolder($0).appendingPathComponent(filename).path)
        }
    }

    var partialFiles: [String] {
        ["bronze", "silver", "gold"].flatMap { level in
            ((try? FileManager.default.contentsOfDirectory(atPath: levelFolder(level).path)) ?? [])
                .filter { $0.hasPrefix(".") && $0.contains(".partial-") }
        }
    }

    /// The data directory's log lines that record a worker's move.
    var moveLines: [String] {
        let log = (try? String(contentsOf: dataDirectory.appendingPathComponent("logs/api.log"), encoding: .utf8)) ?? ""
        return log.split(separator: "\n").map(String.init).filter {
            $0.range(of: #"relocate worker \S+: cid \d+ .*: (renamed|copied|already moved|finished an earlier copy) in"#,
                     options: .regularExpression) != nil
        }
    }

    /// Waits up to `seconds` for the process to exit; kills it (and fails) when it does not.
    static func wait(_ process: Process, seconds: Double) throws {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            throw StackError("psyx \(process.arguments?.joined(separator: " ") ?? "") did not finish within \(Int(seconds)) s")
        }
    }
}
