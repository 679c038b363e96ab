import Dispatch
import Foundation

/// `psyx bench-ci [--pairs 300] [--size 512] [--replies 100] [--format jpeg|png] [--keep]`
/// (not in the help: a development tool). Generates a synthetic pack and replies in a temporary
/// data directory, then times the analysis as the admin API runs it and prints a table against
/// the targets of issue 7.
public enum BenchCICommand {
    struct Options {
        var pairs = 300
        var size = 512
        var replies = 100
        var jpeg = true
        var keep = false
    }

    public static func run(_ words: [String]) throws {
        let options = try parse(words)
        let root = NSTemporaryDirectory() + "psyx-bench-ci-" + UUID().uuidString
        let data = DataDirectory(root)
        try data.prepare()
        defer { if !options.keep { try? FileManager.default.removeItem(atPath: root) } }
        print("psyx bench-ci: \(options.pairs) pairs of \(options.size)x\(options.size) \(options.jpeg ? "JPEG" : "PNG") images, "
              + "\(options.replies) replies, \(ProcessInfo.processInfo.activeProcessorCount) cores, data in \(root)")
        let started = DispatchTime.now()
        let store = try SQLiteStore(path: data.database)
        let bench = try BenchPack(options: options, data: data, store: store)
        print(String(format: "generated in %.1f s", seconds(since: started)))
        try measure(bench, options: options, data: data, store: store)
    }

    /// One measured step: wall-clock and CPU seconds, and the issue's target if it sets one.
    struct Step {
        var name: String
        var wall: Double
        var cpu: Double
        var target: Double?
    }

    private static func measure(_ bench: BenchPack, options: Options, data: DataDirectory, store: SQLiteStore) throws {
        let service = AnalysisService(store: store, data: data, log: nil)
        let id = bench.packID
        var steps: [Step] = []
        func step(_ name: String, _ target: Double? = nil, _ body: () throws -> Void) rethrows {
            let (wall, cpu) = try time(body)
            steps.append(Step(name: name, wall: wall, cpu: cpu, target: target))
        }
        Memory.resetPeak()
        try step("cold pack CI (decode \(2 * options.pairs) images)", 2) { _ = try service.ciPNG(packID: id) }
        let warm = try (0..<5).map { _ in try time { _ = try service.ciPNG(packID: id) } }
        steps.append(Step(name: "warm pack CI (worst of 5)", wall: warm.map(\.wall).max() ?? 0,
                          cpu: warm.map(\.cpu).max() ?? 0, target: 0.05))
        try bench.addReply(number: options.replies, store: store)
        try step("pack CI after one more reply", 0.2) { _ = try service.ciPNG(packID: id) }
        try step("one reply's CI, full size") { _ = try service.ciPNG(packID: id, replyID: 1) }
        try step("one reply's CI, 96 px thumbnail") { _ = try service.ciPNG(packID: id, replyID: 2, size: 96) }
        try step("autoscaled reply CI (every reply's maximum)") { _ = try service.ciPNG(packID: id, replyID: 3, scaling: .autoscale) }
        let analysis = try service.analysis(id)
        guard let noise = analysis.loadedNoise else { throw SettingsError("bench-ci: the pack's images are not loaded") }
        var gram: GramMatrix?
        step("Gram matrix (\(options.pairs)² over \(noise.count) pixels)", 30) { gram = GramMatrix(noise) }
        if let gram { service.writeGram(gram, to: analysis.gramFile, packID: id) }
        var infoVals: [InfoValRow] = []
        try step("infoVal, \(options.replies + 1) replies (after Gram)", 1) { infoVals = try service.infoVals(packID: id) }
        try step("infoVal again (warm)") { infoVals = try service.infoVals(packID: id) }
        let peak = Memory.peakMegabytes()

        print("\n" + "step".padding(toLength: 48, withPad: " ", startingAt: 0) + "      wall       cpu    target")
        for step in steps {
            let verdict = step.target.map { step.wall <= $0 ? "ok" : "SLOW" } ?? ""
            print(step.name.padding(toLength: 48, withPad: " ", startingAt: 0) + String(format: "%8.3f s %8.3f s", step.wall, step.cpu)
                  + (step.target.map { String(format: "  ≤ %5.2f s  ", $0) } ?? "") + verdict)
        }
        print("peak memory (resident, after generation)".padding(toLength: 48, withPad: " ", startingAt: 0)
              + String(format: "%7.0f MB", peak) + "            ≤   512 MB  " + (peak <= 512 ? "ok" : "HIGH"))
        let template = infoVals.prefix(bench.templateResponders).compactMap(\.infoVal)
        let random = infoVals.dropFirst(bench.templateResponders).compactMap(\.infoVal)
        print(String(format: "\ninfoVal median: template responders %.2f, random responders %.2f", median(template), median(random)))
    }

    private static func parse(_ words: [String]) throws -> Options {
        var options = Options()
        var index = 0
        func value() throws -> Int {
            guard index + 1 < words.count, let number = Int(words[index + 1]), number > 0 else {
                throw SettingsError("bench-ci: \(words[index]) needs a positive number")
            }
            index += 1
            return number
        }
        while index < words.count {
            switch words[index] {
            case "--pairs": options.pairs = min(try value(), 2_000)
            case "--size": options.size = min(try value(), 2_048)
            case "--replies": options.replies = min(try value(), 10_000)
            case "--keep": options.keep = true
            case "--format":
                guard index + 1 < words.count, ["jpeg", "png"].contains(words[index + 1]) else {
                    throw SettingsError("bench-ci: --format jpeg or png")
                }
                options.jpeg = words[index + 1] == "jpeg"
                index += 1
            default: throw SettingsError("bench-ci: unknown argument \(words[index])")
            }
            index += 1
        }
        return options
    }

    /// Wall-clock and CPU seconds of `body` (on a busy machine the two differ; the CPU time is
    /// what the step costs).
    static func time(_ body: () throws -> Void) rethrows -> (wall: Double, cpu: Double) {
        let started = DispatchTime.now(), cpu = Memory.cpuSeconds()
        try body()
        return (seconds(since: started), Memory.cpuSeconds() - cpu)
    }

    static func seconds(since start: DispatchTime) -> Double {
        Double(DispatchTime.now().uptimeNanoseconds &- start.uptimeNanoseconds) / 1e9
    }

    private static func median(_ values: [Double]) -> Double {
        var floats = values.map { Float($0) }
        return floats.isEmpty ? .nan : RobustStatistics.median(&floats)
    }
}
