import Foundation

/// Picks the subcommand named on the command line.
public enum CommandDispatch {
    public static func run(_ words: [String], settings: Settings) throws {
        guard let command = words.first else { throw SettingsError("no command given; see psyx --help") }
        switch command {
        case "serve":
            guard words.count == 1 else { throw SettingsError("serve takes no arguments: \(words.dropFirst().joined(separator: " "))") }
            try ServeCommand.run(settings)
        case "bench-ci":  // development tool, not in the help: times the CI/infoVal analysis (issue 7)
            try BenchCICommand.run(Array(words.dropFirst()))
        case "backup", "restore":
            try BackupCommands.run(words, settings: settings, environment: ProcessInfo.processInfo.environment)
        case "database":
            try DatabaseCommands.run(words, settings: settings)
        case "levels", "contents", "relocate":
            try RelocationCommands.run(words, settings: settings)
        default:
            throw SettingsError("unknown command \(command); see psyx --help")
        }
    }
}
