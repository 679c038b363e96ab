#if canImport(Glibc)
import Glibc
#endif
import Foundation
import PsyxTestSupport
import XCTest

/// A full disk (issue 6): psyx runs on a 20 MB tmpfs as its data directory,
/// the disk is filled, and every write path answers 500 with a request id,
/// leaves nothing half-written, and works again once space is back.
final class ReliabilityDiskFullEndToEndTests: EndToEndTestCase {
    func testFullDiskAnswers500WithARequestIDWritesNothingHalfAndRecovers() throws {
        // The low-disk guard off (its floor, 1 GiB by default, is more than this disk holds): the
        // writes themselves must meet the full disk.
        let stack = try startStack(environment: ["PSYX_PACK_SIZE": "5", "PSYX_MIN_FREE_DISK": "0"])
        try ReliabilityProbe.endPsyx(stack, signal: SIGTERM)
        try mountSmallDisk(at: stack.dataDirectory.path)
        try stack.restartPsyx()
        let client = ExperimentClient(stack: stack)

        // Before: one pack and a participant who has started.
        var first = PackFixture(name: "beforefull", pairs: 5)
        first.imageBytes = { _, _ in TinyImages.jpeg }
        XCTAssertEqual(try client.upload(first.body()).status, 200)
        let participant = ParticipantFixture(no: "FULL0001")
        let started = try client.start(participant)

        let filler = stack.dataDirectory.appendingPathComponent("filler")
        let filled = try fill(filler.path)
        XCTAssertGreaterThan(filled, 10_000_000, "the disk should have held most of its 20 MB")

        // Submit: the database cannot grow.
        let submit = participant.submit(packID: started.packID, pairs: started.pairs, submissionID: "disk-full-0001")
        let refusedSubmit = try client.post("/api/reply/submit", json: submit)
        assertInternalError(refusedSubmit, "submit")

        // An upload held in memory (staged images cannot be written) and one over 1 MiB (the body spool cannot).
        var small = PackFixture(name: "smallfull", pairs: 5)
        small.sex = "1"
        small.imageBytes = { _, _ in (try? ReliabilityProbe.bulkyJPEG(20_000)) ?? [] }
        let refusedSmall = try client.upload(small.body())
        assertInternalError(refusedSmall, "in-memory upload")
        var large = small
        large.name = "largefull"
        (large.ageMin, large.ageMax) = ("30", "39")
        large.imageBytes = { _, _ in (try? ReliabilityProbe.bulkyJPEG(150_000)) ?? [] }
        let refusedLarge = try client.upload(large.body())
        assertInternalError(refusedLarge, "spooled upload")

        // Nothing half-written: no pack folder, no staging or spool leftovers, a consistent database.
        XCTAssertEqual(ReliabilityProbe.entries(stack, "packs"), ["beforefull"])
        XCTAssertEqual(ReliabilityProbe.entries(stack, "staging"), [])
        XCTAssertEqual(ReliabilityProbe.entries(stack, "spool"), [])
        XCTAssertEqual(try ReliabilityProbe.integrityCheck(stack), "ok")
        XCTAssertEqual(try client.rowCounts(), "packs=1 pack_pairs=5 replies=0")
        XCTAssertEqual(try stack.http.request("GET", "/api/health").status, 200, "reading still works on a full disk")

        // Space back: the same submit and uploads go through.
        try FileManager.default.removeItem(at: filler)
        let submitted = try client.post("/api/reply/submit", json: submit)
        XCTAssertEqual(submitted.status, 200, submitted.text)
        XCTAssertEqual(try client.upload(small.body()).status, 200)
        XCTAssertEqual(try client.upload(large.body()).status, 200)
        XCTAssertEqual(ReliabilityProbe.entries(stack, "packs"), ["beforefull", "largefull", "smallfull"])
        XCTAssertEqual(try client.rowCounts(), "packs=3 pack_pairs=15 replies=1")
        XCTAssertEqual(try ReliabilityProbe.integrityCheck(stack), "ok")

        ReliabilityProbe.report("disk-full", [
            "tmpfs_mb": 20, "filled_bytes": filled, "submit": refusedSubmit.status, "upload_in_memory": refusedSmall.status,
            "upload_spooled": refusedLarge.status, "half_written": 0, "after_space_back_submit": submitted.status,
        ])
    }

    /// A 500 page naming its request id, and nothing internal.
    private func assertInternalError(_ response: HTTPResponse, _ what: String, line: UInt = #line) {
        XCTAssertEqual(response.status, 500, "\(what): \(response.text)", line: line)
        let sentence = ExperimentClient.sentence(response)
        XCTAssertNotNil(sentence.range(of: #"request id [0-9a-f]{16}"#, options: .regularExpression),
                        "\(what): no request id in \(sentence)", line: line)
        XCTAssertFalse(sentence.localizedCaseInsensitiveContains("sqlite") || sentence.contains("errno")
                       || sentence.localizedCaseInsensitiveContains("space"), "\(what): internals shown: \(sentence)", line: line)
    }

    /// Mounts a 20 MB tmpfs over `path` (empty: psyx creates its files anew) and
    /// detaches it when the test ends. Needs root (CAP_SYS_ADMIN); without it the
    /// test is skipped, loudly, never passed.
    private func mountSmallDisk(at path: String) throws {
        for entry in try FileManager.default.contentsOfDirectory(atPath: path) {
            try FileManager.default.removeItem(atPath: path + "/" + entry)
        }
        let scratch = URL(fileURLWithPath: path).deletingLastPathComponent()
        let mounted = try Command.run("mount", ["-t", "tmpfs", "-o", "size=20m,mode=0750", "tmpfs", path], scratch: scratch)
        guard mounted.status == 0 else {
            throw XCTSkip("cannot mount a tmpfs (needs root): \(mounted.standardError)")
        }
        // Teardown blocks run before the stack stops: a lazy unmount lets psyx finish on the detached disk.
        addTeardownBlock {
            _ = try? Command.run("umount", ["-l", path], scratch: scratch)
        }
    }

    /// Writes `path` until the disk is full; returns the bytes written.
    private func fill(_ path: String) throws -> Int {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw StackError("cannot create \(path): errno \(errno)") }
        defer { close(fd) }
        var written = 0
        for size in [1 << 20, 4096, 1] {
            let chunk = [UInt8](repeating: 0x55, count: size)
            while true {
                let n = chunk.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else {
                    guard errno == ENOSPC else { throw StackError("filling \(path): errno \(errno)") }
                    break
                }
                written += n
            }
        }
        return written
    }
}
