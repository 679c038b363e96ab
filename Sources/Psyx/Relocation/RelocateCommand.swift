import Dispatch
import Foundation

/// `psyx relocate [--once] [--worker-id ID] [--lease SECONDS]`: the relocation worker.
///
/// Without `--once` it runs until SIGTERM or SIGINT, looking for jobs every half second. With
/// `--once` it processes jobs until none can be claimed, then exits. Either way a signal abandons a
/// copy in progress (its temporary file removed, the job given back) and ends the command.
enum RelocateCommand {
    static let usage = "usage: psyx relocate [--once] [--worker-id ID] [--lease SECONDS]"

    struct Arguments: Equatable {
        var once = false
        var workerID: String?
        var lease: Double = 60
    }

    static func parse(_ words: [String]) throws -> Arguments {
        var arguments = Arguments()
        var index = 0
        func value(_ name: String, _ inline: String?) throws -> String {
            if let inline { return inline }
            index += 1
            guard index < words.count else { throw CommandError("\(name) needs a value\n\(usage)") }
            return words[index]
        }
        while index < words.count {
            let word = words[index]
            let parts = word.split(separator: "=", maxSplits: 1).map(String.init)
            let name = parts.first ?? word
            let inline = word.contains("=") ? (parts.count > 1 ? parts[1] : "") : nil
            switch name {
            case "--once" where inline == nil:
                arguments.once = true
            case "--worker-id":
                let id = try value(name, inline)
                guard isValidWorkerID(id) else {
                    throw CommandError("invalid --worker-id \(id) (1–64 visible ASCII characters, no spaces)")
                }
                arguments.workerID = id
            case "--lease":
                let text = try value(name, inline)
                guard let lease = Double(text), lease.isFinite, lease >= 1, lease <= 86_400 else {
                    throw CommandError("invalid --lease \(text) (seconds, 1 to 86400)")
                }
                arguments.lease = lease
            default:
                throw CommandError("unknown argument \(word)\n\(usage)")
            }
            index += 1
        }
        return arguments
    }

    static func isValidWorkerID(_ id: String) -> Bool {
        (1...64).contains(id.utf8.count) && id.utf8.allSatisfy { (0x21...0x7E).contains($0) }
    }

    /// `host-pid`: unique among the workers running at one time.
    static func defaultWorkerID() -> String {
        var name = [CChar](repeating: 0, count: 256)
        let host = gethostname(&name, name.count - 1) == 0
            ? String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) : "worker"
        let id = "\(host.isEmpty ? "worker" : host)-\(getpid())"
        return isValidWorkerID(id) ? id : "worker-\(getpid())"
    }

    static func run(_ words: [String], settings: Settings) throws {
        let arguments = try parse(words)
        let data = DataDirectory(settings.dataDirectory)
        let store = try RelocationCommands.openStore(settings)
        let log = RequestLog(directory: data.logs)
        let options = RelocationWorker.Options(workerID: arguments.workerID ?? defaultWorkerID(), lease: arguments.lease)
        let worker = RelocationWorker(store: store, dataRoot: data.root,
                                      mover: FileMover.configured(environment: ProcessInfo.processInfo.environment),
                                      log: log, options: options)
        let signals = TerminationSignals { worker.stop() }
        defer { withExtendedLifetime(signals) {} }
        worker.sweepStalePartials()
        if arguments.once {
            let completed = try worker.drain()
            print("relocated \(completed) file(s)")
        } else {
            log.note(.info, "relocate worker \(options.workerID) started (lease \(Int(options.lease)) s)")
            worker.run()
            log.note(.info, "relocate worker \(options.workerID) stopped")
        }
    }
}
