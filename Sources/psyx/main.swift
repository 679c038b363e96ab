import Foundation
import Psyx

// The thin executable: parse settings, hand over to the command.
let arguments = Array(CommandLine.arguments.dropFirst())
if arguments.isEmpty || arguments.contains("--help") || arguments.contains("-h") || arguments.first == "help" {
    print(Settings.helpText, terminator: "")
    exit(arguments.isEmpty ? 2 : 0)
}
do {
    let (settings, words) = try Settings.parse(arguments, environment: ProcessInfo.processInfo.environment)
    try CommandDispatch.run(words, settings: settings)
} catch {
    FileHandle.standardError.write(Data("psyx: \(error)\n".utf8))
    exit(1)
}
