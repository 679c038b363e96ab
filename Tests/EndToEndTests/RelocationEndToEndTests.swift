import Foundation
import PsyxTestSupport
import XCTest

/// The relocation service through real Nginx, as the seed describes it: levels and contents set up
/// with `psyx`, the client's curl calls, `psyx relocate --once`, and the file served under
/// `/contents/` before, during and after its move.
final class RelocationEndToEndTests: EndToEndTestCase {
    /// `curl http://host/<path> -d "<body>"`, exactly the seed's call; returns (status, body).
    private func curl(_ stack: TestStack, _ path: String, _ body: String,
                      headers: [String] = ["X-Relocation-Key: \(TestStack.relocationKey)"]) throws -> (Int, String) {
        let result = try Command.run("curl", ["--silent", "--show-error", "--write-out", "\n%{http_code}",
                                              "http://127.0.0.1:\(stack.port)\(path)", "-d", body]
                                         + headers.flatMap { ["-H", $0] },
                                     scratch: stack.directory)
        guard result.status == 0 else { throw StackError("curl \(path) -d \(body) failed: \(result.standardError)") }
        var lines = result.output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let status = Int(lines.removeLast()) ?? 0
        return (status, lines.joined(separator: "\n"))
    }

    /// A file of `size` bytes whose every MiB differs, so a partial or shifted copy cannot pass.
    static func pattern(size: Int) -> Data {
        var data = Data(count: size)
        data.withUnsafeMutableBytes { raw in
            guard let base = raw.baseAddress?.assumingMemoryBound(to: UInt64.self) else { return }
            var state: UInt64 = 0x9E37_79B9_7F4A_7C15
            for index in 0..<(size / 8) {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                base[index] = state ^ UInt64(index)
            }
        }
        return data
    }

    func testTheWholeFlowWithTheSeedsCurlCalls() throws {
        try wholeFlow(database: [:])
    }

    /// The same flow with the responder and the tools on PostgreSQL (`PSYX_DATABASE`, a schema of its own).
    func testTheWholeFlowOnPostgreSQL() throws {
        let schema = try PostgreSQLTestSchema()
        try wholeFlow(database: ["PSYX_DATABASE": schema.connectionString])
        XCTAssertFalse(FileManager.default.fileExists(atPath: try XCTUnwrap(stacks.last).dataDirectory
                                                        .appendingPathComponent("psyx.sqlite3").path),
                       "nothing was written to SQLite")
    }

    /// `database`: the PSYX_DATABASE setting for psyx serve and the tools, or none for SQLite.
    private func wholeFlow(database: [String: String]) throws {
        let stack = try startStack(environment: database)
        let cli = RelocationCLI(dataDirectory: stack.dataDirectory, scratch: stack.directory, settings: database)
        let levels = try cli.succeed(["levels", "set"] + RelocationCLI.exampleLevels)
        XCTAssertTrue(levels.contains("silver  1000  1999"), levels)
        let file = Self.pattern(size: 8 << 20)
        try file.write(to: cli.levelFolder("bronze").appendingPathComponent("g.mp4"))
        XCTAssertEqual(try cli.succeed(["contents", "add", "7", "bronze", "g.mp4"]), "content 7 added: g.mp4 in level bronze\n")
        let registered = try cli.contentRow(7)
        XCTAssertEqual(Array(registered.prefix(3)), ["7", "bronze", "g.mp4"])
        XCTAssertEqual(registered[3], registered[4], "generate_time = update_time at first")

        let before = try stack.http.request("GET", "/contents/g.mp4")
        XCTAssertEqual(before.status, 200)
        XCTAssertEqual(Data(before.body), file)

        let (postStatus, posted) = try curl(stack, "/post_sentence", "cid=7&count=1964")
        XCTAssertEqual(postStatus, 200, posted)
        XCTAssertEqual(posted, """
            {"cid": "7", "count": "1964", "target": "silver", "db_level": "bronze", "filename": "g.mp4", "worker_id": null, "status": "update"}
            """)
        XCTAssertEqual(try curl(stack, "/update_sentence", "cid=7").1, "check your status again")
        XCTAssertEqual(try cli.contentRow(7)[1], "bronze")

        // The move, slowed down on the copy path so the file can be fetched while it moves.
        let worker = try cli.start(["relocate", "--once", "--worker-id", "e2e"],
                                   environment: ["PSYX_FORCE_COPY": "1", "PSYX_COPY_PAUSE_MS": "40"], name: "worker")
        var fetchesDuringMove = 0
        var sawBothCopies = false
        while worker.isRunning {
            if !cli.partialFiles.isEmpty { sawBothCopies = true }
            let during = try stack.http.request("GET", "/contents/g.mp4")
            XCTAssertEqual(during.status, 200, "served while it moves")
            XCTAssertEqual(Data(during.body) == file, true, "always the whole file")
            fetchesDuringMove += 1
        }
        try RelocationCLI.wait(worker, seconds: 60)
        XCTAssertEqual(worker.terminationStatus, 0, cli.output(of: "worker"))
        XCTAssertEqual(cli.output(of: "worker"), "relocated 1 file(s)\n")
        XCTAssertTrue(sawBothCopies, "the copy ran while the test fetched the file")
        XCTAssertGreaterThan(fetchesDuringMove, 1)
        XCTAssertEqual(cli.holders(of: "g.mp4"), ["silver"])
        XCTAssertEqual(cli.partialFiles, [])
        XCTAssertEqual(cli.moveLines.count, 1)
        XCTAssertTrue(cli.moveLines.first?.contains("relocate worker e2e: cid 7 g.mp4 bronze → silver: copied in") == true)

        let (updateStatus, updated) = try curl(stack, "/update_sentence", "cid=7")
        XCTAssertEqual(updateStatus, 200)
        XCTAssertEqual(updated, "7")
        let row = try cli.contentRow(7)
        XCTAssertEqual(Array(row.prefix(3)), ["7", "silver", "g.mp4"])
        XCTAssertGreaterThan(row[4], registered[4], "a new update_time")
        XCTAssertEqual(row[3], registered[3], "generate_time stays")
        XCTAssertEqual(row[5], "-", "the job is cleared")
        XCTAssertEqual(try curl(stack, "/update_sentence", "cid=7").1, "check your status again")

        let after = try stack.http.request("GET", "/contents/g.mp4")
        XCTAssertEqual(after.status, 200)
        XCTAssertEqual(Data(after.body), file)
        XCTAssertEqual(try stack.http.request("GET", "/contents/missing.mp4").status, 404)
        try Data("partial".utf8).write(to: cli.levelFolder("gold").appendingPathComponent(".g.mp4.partial-x"))
        XCTAssertEqual(try stack.http.request("GET", "/contents/.g.mp4.partial-x").status, 404, "temporary copies are never served")
        XCTAssertEqual(try stack.http.request("GET", "/contents/silver/g.mp4").status, 404, "no sub-folders")
    }

    func testTheTopLevelAbsorbsLargerCountsAndSameLevelIsDone() throws {
        let stack = try startStack()
        let cli = RelocationCLI(dataDirectory: stack.dataDirectory, scratch: stack.directory)
        try cli.succeed(["levels", "set"] + RelocationCLI.exampleLevels)
        try Data("a".utf8).write(to: cli.levelFolder("gold").appendingPathComponent("a.mp4"))
        try cli.succeed(["contents", "add", "3", "gold", "a.mp4"])

        let (_, posted) = try curl(stack, "/post_sentence", "cid=3&count=5000")
        XCTAssertEqual(posted, """
            {"cid": "3", "count": "5000", "target": "gold", "db_level": "gold", "filename": "a.mp4", "worker_id": null, "status": "done"}
            """)
        XCTAssertTrue(try cli.succeed(["levels", "list"]).contains("gold    2000  5000"))
        XCTAssertEqual(try curl(stack, "/update_sentence", "cid=3").1, "3")
        XCTAssertEqual(try cli.contentRow(3)[1], "gold")
    }

    func testBadInputIs400AndChangesNothing() throws {
        let stack = try startStack()
        let cli = RelocationCLI(dataDirectory: stack.dataDirectory, scratch: stack.directory)
        try cli.succeed(["levels", "set"] + RelocationCLI.exampleLevels)
        try Data("g".utf8).write(to: cli.levelFolder("bronze").appendingPathComponent("g.mp4"))
        try cli.succeed(["contents", "add", "7", "bronze", "g.mp4"])
        XCTAssertEqual(try curl(stack, "/post_sentence", "cid=7&count=1500").0, 200)
        let contentsBefore = try cli.succeed(["contents", "list"])
        let levelsBefore = try cli.succeed(["levels", "list"])

        let cases: [(String, String, String)] = [
            ("/post_sentence", "count=1964", "Missing cid"),
            ("/post_sentence", "cid=7", "Missing count"),
            ("/post_sentence", "cid=-7&count=1964", "Invalid cid: -7"),
            ("/post_sentence", "cid=7&count=-1964", "Invalid count: -1964"),
            ("/post_sentence", "cid=seven&count=1964", "Invalid cid: seven"),
            ("/post_sentence", "cid=7&count=19.64", "Invalid count: 19.64"),
            ("/post_sentence", "cid=8&count=9999", "Unknown cid 8"),
            ("/post_sentence", "cid=7&count=9223372036854775807", "Invalid count: 9223372036854775807 (at most 1000000000000)"),
            ("/update_sentence", "cid=", "Missing cid"),
            ("/update_sentence", "cid=-7", "Invalid cid: -7"),
            ("/update_sentence", "cid=8", "Unknown cid 8"),
        ]
        for (path, body, message) in cases {
            let (status, text) = try curl(stack, path, body)
            XCTAssertEqual(status, 400, "\(path) -d \(body): \(text)")
            XCTAssertTrue(text.contains(message), "\(path) -d \(body): \(text)")
        }
        XCTAssertEqual(try cli.succeed(["contents", "list"]), contentsBefore)
        XCTAssertEqual(try cli.succeed(["levels", "list"]), levelsBefore, "not even gold's max was raised")
        XCTAssertEqual(try stack.http.request("GET", "/post_sentence").status, 405)

        // From loopback, but without the key, or as a browser's form post: refused, nothing changed.
        let key = "X-Relocation-Key: \(TestStack.relocationKey)"
        for headers in [[], ["X-Relocation-Key: wrong-key-0123456789"], [key, "Sec-Fetch-Site: cross-site"],
                        [key, "Origin: https://evil.example"]] {
            let (status, text) = try curl(stack, "/post_sentence", "cid=7&count=5000", headers: headers)
            XCTAssertEqual(status, 403, "\(headers): \(text)")
        }
        XCTAssertEqual(try cli.succeed(["contents", "list"]), contentsBefore)
        XCTAssertEqual(try cli.succeed(["levels", "list"]), levelsBefore)
    }
}
