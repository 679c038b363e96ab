import Foundation

/// Runs a program to completion and collects what it printed.
///
/// Output goes through temporary files rather than pipes, so a chatty program
/// can never block on a full pipe while we wait for it to exit.
enum Command {
    struct Result {
        let status: Int32
        let standardOutput: [UInt8]
        let standardError: String

        var output: String { String(decoding: standardOutput, as: UTF8.self) }
    }

    /// Runs `executable` (a path, or a name looked up on PATH) with `arguments`.
    static func run(_ executable: String, _ arguments: [String], environment: [String: String]? = nil,
                    scratch: URL) throws -> Result {
        let id = UUID().uuidString
        let outURL = scratch.appendingPathComponent("cmd-\(id).out")
        let errURL = scratch.appendingPathComponent("cmd-\(id).err")
        defer {
            try? FileManager.default.removeItem(at: outURL)
            try? FileManager.default.removeItem(at: errURL)
        }
        let out = try openForWriting(outURL)
        let err = try openForWriting(errURL)

        let process = Process()
        if executable.contains("/") {
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
        } else {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [executable] + arguments
        }
        if let environment { process.environment = environment }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = out
        process.standardError = err
        try process.run()
        process.waitUntilExit()
        try out.close()
        try err.close()

        let stdout = try [UInt8](Data(contentsOf: outURL))
        let stderr = try String(decoding: Data(contentsOf: errURL), as: UTF8.self)
        return Result(status: process.terminationStatus, standardOutput: stdout, standardError: stderr)
    }

    /// A handle writing at the end of `url`, which is created empty when missing.
    static func openForWriting(_ url: URL) throws -> FileHandle {
        if !FileManager.default.fileExists(atPath: url.path) {
            guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
                throw StackError("cannot create \(url.path)")
            }
        }
        let handle = try FileHandle(forWritingTo: url)
        try handle.seekToEnd()
        return handle
    }
}
