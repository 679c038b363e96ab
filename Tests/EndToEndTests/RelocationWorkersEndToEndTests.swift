import Foundation
import Psyx
import XCTest

/// Two `psyx relocate --once` processes started together on 200 jobs, and a worker killed with
/// SIGKILL in the middle of a cross-file-system copy (the copy path forced, no second mount needed).
final class RelocationWorkersEndToEndTests: XCTestCase {
    var directory: URL!
    var cli: RelocationCLI!

    override func setUpWithError() throws {
        directory = URL(fileURLWithPath: "/tmp").appendingPathComponent("psyx-reloc-e2e-\(UUID().uuidString.prefix(8).lowercased())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        cli = RelocationCLI(dataDirectory: directory.appendingPathComponent("data"), scratch: directory)
        try cli.succeed(["levels", "set"] + RelocationCLI.exampleLevels)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    /// The store the running commands use, opened from this process (contents and posts in bulk).
    private func store() throws -> SQLiteRelocationStore {
        SQLiteRelocationStore(store: try SQLiteStore(path: cli.dataDirectory.appendingPathComponent("psyx.sqlite3").path,
                                                     readerCount: 1))
    }

    func testTwoWorkersOn200JobsDoEachExactlyOnce() throws {
        let store = try store()
        let levels = ["bronze", "silver", "gold"]
        let counts: [Int64] = [10, 1010, 2010]
        let now = Date().timeIntervalSince1970
        for index in 0..<200 {
            let cid = Int64(index + 1)
            try Data("file \(cid)\n".utf8).write(to: cli.levelFolder(levels[index % 3]).appendingPathComponent("f\(cid).bin"))
            _ = try store.addContent(cid: cid, level: levels[index % 3], filename: "f\(cid).bin", now: now) { _ in }
            XCTAssertEqual(try store.post(cid: cid, count: counts[(index + 1) % 3], now: now).status, .update)
        }

        let workers = try ["one", "two"].map { id in
            try cli.start(["relocate", "--once", "--worker-id", id], environment: ["PSYX_FORCE_COPY": "1"], name: id)
        }
        for worker in workers { try RelocationCLI.wait(worker, seconds: 180) }
        var total = 0
        for (worker, id) in zip(workers, ["one", "two"]) {
            XCTAssertEqual(worker.terminationStatus, 0, cli.output(of: id))
            let output = cli.output(of: id)
            let count = Int(output.replacingOccurrences(of: "relocated ", with: "").prefix { $0.isNumber }) ?? -1
            XCTAssertGreaterThan(count, 0, "both workers took part: \(output)")
            total += count
        }
        XCTAssertEqual(total, 200, "every job done once: \(cli.output(of: "one")) + \(cli.output(of: "two"))")

        let jobs = try store.jobs()
        XCTAssertEqual(jobs.count, 200)
        XCTAssertTrue(jobs.allSatisfy { $0.status == .done && ["one", "two"].contains($0.workerID ?? "") })
        for index in 0..<200 {
            let cid = index + 1
            let target = levels[(index + 1) % 3]
            XCTAssertEqual(cli.holders(of: "f\(cid).bin"), [target], "file \(cid) in exactly one folder")
            XCTAssertEqual(try String(contentsOf: cli.levelFolder(target).appendingPathComponent("f\(cid).bin"), encoding: .utf8),
                           "file \(cid)\n")
            XCTAssertEqual(try store.content(cid: Int64(cid))?.level, target)
        }
        XCTAssertEqual(cli.partialFiles, [])
        let moved = cli.moveLines.compactMap { line in
            line.range(of: #"cid \d+ "#, options: .regularExpression).map { String(line[$0]) }
        }
        XCTAssertEqual(moved.count, 200, "one logged move per job")
        XCTAssertEqual(Set(moved).count, 200, "no job moved twice")
    }

    func testAWorkerKilledMidCopyLeavesEveryFileWholeAndARestartCompletesEveryJob() throws {
        let store = try store()
        let now = Date().timeIntervalSince1970
        let big = RelocationEndToEndTests.pattern(size: 200 << 20)
        try big.write(to: cli.levelFolder("bronze").appendingPathComponent("big.mp4"))
        _ = try store.addContent(cid: 1, level: "bronze", filename: "big.mp4", now: now) { _ in }
        for cid in 2...4 {
            try Data("small \(cid)".utf8).write(to: cli.levelFolder("silver").appendingPathComponent("s\(cid).mp4"))
            _ = try store.addContent(cid: Int64(cid), level: "silver", filename: "s\(cid).mp4", now: now) { _ in }
        }
        _ = try store.post(cid: 1, count: 2500, now: now)
        for cid in 2...4 { _ = try store.post(cid: Int64(cid), count: 5, now: now) }

        // The loop worker takes cid 1 first; kill it once a good part of the copy is on disk.
        let doomed = try cli.start(["relocate", "--worker-id", "doomed", "--lease", "2"],
                                   environment: ["PSYX_FORCE_COPY": "1", "PSYX_COPY_PAUSE_MS": "10"], name: "doomed")
        let deadline = Date().addingTimeInterval(60)
        var partialSize = 0
        while Date() < deadline, doomed.isRunning {
            if let name = cli.partialFiles.first,
               let size = try? FileManager.default.attributesOfItem(atPath: cli.levelFolder("gold").appendingPathComponent(name).path)[.size] as? Int,
               size >= 20 << 20 {
                partialSize = size
                break
            }
            usleep(5_000)
        }
        XCTAssertTrue(doomed.isRunning, "the worker was still copying: \(cli.output(of: "doomed"))")
        kill(doomed.processIdentifier, SIGKILL)
        doomed.waitUntilExit()
        XCTAssertEqual(doomed.terminationReason, .uncaughtSignal)
        XCTAssertGreaterThanOrEqual(partialSize, 20 << 20)
        XCTAssertLessThan(partialSize, big.count, "killed in the middle of the copy")

        // What the crash left: the source whole, a temporary copy, nothing under the final name.
        XCTAssertEqual(cli.holders(of: "big.mp4"), ["bronze"])
        XCTAssertEqual(try Data(contentsOf: cli.levelFolder("bronze").appendingPathComponent("big.mp4")), big)
        XCTAssertEqual(cli.partialFiles.count, 1)
        XCTAssertEqual(try store.job(cid: 1)?.workerID, "doomed")

        // After the dead worker's lease, a new worker takes its job and finishes everything.
        let leaseEnd = (try store.job(cid: 1)?.leaseExpires ?? now) + 0.5
        while Date().timeIntervalSince1970 < leaseEnd { usleep(50_000) }
        let output = try cli.succeed(["relocate", "--once", "--worker-id", "phoenix"], environment: ["PSYX_FORCE_COPY": "1"])
        XCTAssertEqual(output, "relocated 4 file(s)\n")

        XCTAssertEqual(cli.holders(of: "big.mp4"), ["gold"])
        XCTAssertEqual(try Data(contentsOf: cli.levelFolder("gold").appendingPathComponent("big.mp4")), big)
        for cid in 2...4 {
            XCTAssertEqual(cli.holders(of: "s\(cid).mp4"), ["bronze"])
            XCTAssertEqual(try String(contentsOf: cli.levelFolder("bronze").appendingPathComponent("s\(cid).mp4"), encoding: .utf8), "small \(cid)")
        }
        XCTAssertEqual(cli.partialFiles, [], "the dead worker's temporary copy is gone")
        XCTAssertEqual(try store.jobs().map(\.status), [.done, .done, .done, .done])
        XCTAssertEqual(try store.content(cid: 1)?.level, "gold")
        XCTAssertEqual(try store.jobs().map { $0.workerID ?? "" }, ["phoenix", "phoenix", "phoenix", "phoenix"])
    }

    func testTheLoopWorkerPicksUpNewJobsAndStopsOnSIGTERM() throws {
        let store = try store()
        try Data("x".utf8).write(to: cli.levelFolder("bronze").appendingPathComponent("x.mp4"))
        _ = try store.addContent(cid: 1, level: "bronze", filename: "x.mp4", now: Date().timeIntervalSince1970) { _ in }
        let worker = try cli.start(["relocate", "--worker-id", "loop"], name: "loop")
        usleep(300_000)
        XCTAssertTrue(worker.isRunning, cli.output(of: "loop"))
        _ = try store.post(cid: 1, count: 2500, now: Date().timeIntervalSince1970)
        let deadline = Date().addingTimeInterval(15)
        while Date() < deadline, try store.job(cid: 1)?.status != .done { usleep(50_000) }
        XCTAssertEqual(try store.job(cid: 1)?.status, .done, "the waiting worker took the new job")
        XCTAssertEqual(cli.holders(of: "x.mp4"), ["gold"])

        kill(worker.processIdentifier, SIGTERM)
        try RelocationCLI.wait(worker, seconds: 10)
        XCTAssertEqual(worker.terminationReason, .exit)
        XCTAssertEqual(worker.terminationStatus, 0, cli.output(of: "loop"))
        let log = (try? String(contentsOf: cli.dataDirectory.appendingPathComponent("logs/api.log"), encoding: .utf8)) ?? ""
        XCTAssertTrue(log.contains("relocate worker loop started"), log)
        XCTAssertTrue(log.contains("relocate worker loop stopped"), log)
    }
}
