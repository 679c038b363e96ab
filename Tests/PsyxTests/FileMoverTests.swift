import Foundation
import XCTest
@testable import Psyx

/// The mover's paths: rename, forced copy, a real cross-file-system copy, interrupted copies, and the
/// states a crash can leave behind.
final class FileMoverTests: XCTestCase {
    var root = ""
    var source: String { root + "/a" }
    var target: String { root + "/b" }

    override func setUpWithError() throws {
        root = NSTemporaryDirectory() + "psyx-mover-" + UUID().uuidString.prefix(8).lowercased()
        for folder in [source, target] {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: root)
    }

    private func write(_ path: String, _ bytes: [UInt8], mode: Int = 0o640) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
    }

    private func read(_ path: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    private func entries(_ folder: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
    }

    private func pattern(_ count: Int) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 8) }
    }

    func testRenameWithinOneFileSystem() throws {
        let bytes = pattern(10_000)
        try write(source + "/f.mp4", bytes)
        let inode = try XCTUnwrap(FileStatus.of(source + "/f.mp4")).raw.st_ino
        XCTAssertEqual(try FileMover().move("f.mp4", from: source, to: target), .renamed)
        XCTAssertEqual(entries(source), [])
        XCTAssertEqual(entries(target), ["f.mp4"])
        XCTAssertEqual(try read(target + "/f.mp4"), bytes)
        XCTAssertEqual(FileStatus.of(target + "/f.mp4")?.raw.st_ino, inode, "a rename keeps the inode")
    }

    func testForcedCopyKeepsBytesModeAndTimesAndLeavesNoTemporaryFile() throws {
        let bytes = pattern(3 * 4096 + 17)
        try write(source + "/f.mp4", bytes, mode: 0o604)
        let modified = try XCTUnwrap(FileStatus.of(source + "/f.mp4")).modificationTime
        var chunks = 0
        let mover = FileMover(forceCopy: true, chunkSize: 4096)
        XCTAssertEqual(try mover.move("f.mp4", from: source, to: target) { chunks += 1 }, .copied)
        XCTAssertEqual(chunks, 4, "the heartbeat runs once per chunk")
        XCTAssertEqual(entries(source), [])
        XCTAssertEqual(entries(target), ["f.mp4"])
        XCTAssertEqual(try read(target + "/f.mp4"), bytes)
        let copied = try XCTUnwrap(FileStatus.of(target + "/f.mp4"))
        XCTAssertEqual(copied.permissions, 0o604)
        XCTAssertEqual(copied.modificationTime.tv_sec, modified.tv_sec)
        XCTAssertEqual(copied.modificationTime.tv_nsec, modified.tv_nsec)
    }

    func testEmptyFileCopies() throws {
        try write(source + "/empty", [])
        XCTAssertEqual(try FileMover(forceCopy: true).move("empty", from: source, to: target), .copied)
        XCTAssertEqual(try read(target + "/empty"), [])
        XCTAssertEqual(entries(source), [])
    }

    func testRealCrossFileSystemMoveCopies() throws {
        let shm = "/dev/shm"
        guard let shmStatus = FileStatus.of(shm), let rootStatus = FileStatus.of(root),
              shmStatus.raw.st_dev != rootStatus.raw.st_dev else {
            throw XCTSkip("no second file system at /dev/shm on this machine")
        }
        let other = shm + "/psyx-mover-" + UUID().uuidString.prefix(8).lowercased()
        try FileManager.default.createDirectory(atPath: other, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: other) }
        let bytes = pattern(100_000)
        try write(source + "/f.mp4", bytes)
        XCTAssertEqual(try FileMover().move("f.mp4", from: source, to: other), .copied, "rename fails with EXDEV")
        XCTAssertEqual(try read(other + "/f.mp4"), bytes)
        XCTAssertEqual(entries(source), [])
        XCTAssertEqual(entries(other), ["f.mp4"])
    }

    func testMissingSourceWithTargetPresentCountsAsMoved() throws {
        try write(target + "/f.mp4", [1, 2, 3])
        XCTAssertEqual(try FileMover().move("f.mp4", from: source, to: target), .alreadyMoved)
        XCTAssertEqual(try FileMover(forceCopy: true).move("f.mp4", from: source, to: target), .alreadyMoved)
        XCTAssertEqual(try read(target + "/f.mp4"), [1, 2, 3])
    }

    func testNeitherSourceNorTargetIsAnError() {
        XCTAssertThrowsError(try FileMover().move("f.mp4", from: source, to: target)) {
            XCTAssertEqual($0 as? FileMoverError, .sourceMissing(source + "/f.mp4"))
        }
    }

    func testBothPresentFinishesTheEarlierCopy() throws {
        // A crash between the final rename and the unlink leaves the same file in both folders.
        try write(source + "/f.mp4", [9, 9, 9])
        try write(target + "/f.mp4", [9, 9, 9])
        XCTAssertEqual(try FileMover().move("f.mp4", from: source, to: target), .finishedEarlierCopy)
        XCTAssertEqual(entries(source), [])
        XCTAssertEqual(try read(target + "/f.mp4"), [9, 9, 9])
    }

    func testADifferentFileAtTheTargetIsAConflictAndNothingIsTouched() throws {
        try write(source + "/f.mp4", [1, 2, 3])
        try write(target + "/f.mp4", [1, 2])
        XCTAssertThrowsError(try FileMover().move("f.mp4", from: source, to: target)) {
            XCTAssertEqual($0 as? FileMoverError, .targetConflict(target + "/f.mp4"))
        }
        XCTAssertEqual(try read(source + "/f.mp4"), [1, 2, 3])
        XCTAssertEqual(try read(target + "/f.mp4"), [1, 2])
    }

    func testAMissingTargetFolderIsNotCreated() throws {
        try write(source + "/f.mp4", [1])
        XCTAssertThrowsError(try FileMover().move("f.mp4", from: source, to: root + "/nowhere")) {
            XCTAssertEqual($0 as? FileMoverError, .folderMissing(root + "/nowhere"))
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: root + "/nowhere"))
        XCTAssertThrowsError(try FileMover().move("f.mp4", from: source, to: source + "/.")) {
            XCTAssertEqual($0 as? FileMoverError, .sameFolder(source + "/."))
        }
        XCTAssertEqual(try read(source + "/f.mp4"), [1])
    }

    func testAnInterruptedCopyRemovesItsTemporaryFileAndKeepsTheSource() throws {
        let bytes = pattern(5 * 4096)
        try write(source + "/f.mp4", bytes)
        var chunks = 0
        XCTAssertThrowsError(try FileMover(forceCopy: true, chunkSize: 4096).move("f.mp4", from: source, to: target) {
            chunks += 1
            XCTAssertEqual(self.entries(self.target).filter(FileMover.isPartialName).count, 1, "copying to a temporary name")
            XCTAssertFalse(FileManager.default.fileExists(atPath: self.target + "/f.mp4"), "never under the final name")
            if chunks == 2 { throw FileMoverError.cancelled }
        }) { XCTAssertEqual($0 as? FileMoverError, .cancelled) }
        XCTAssertEqual(entries(target), [])
        XCTAssertEqual(try read(source + "/f.mp4"), bytes)
    }

    func testLeftoverTemporaryCopiesAreReplacedAndStaleOnesSwept() throws {
        try write(source + "/f.mp4", pattern(100))
        let leftover = target + "/" + FileMover.partialName(for: "f.mp4", id: "dead")
        let otherLeftover = target + "/" + FileMover.partialName(for: "g.mp4", id: "dead")
        try write(leftover, [0, 0])
        try write(otherLeftover, [0])
        XCTAssertEqual(try FileMover(forceCopy: true).move("f.mp4", from: source, to: target), .copied)
        XCTAssertEqual(entries(target), [".g.mp4.partial-dead", "f.mp4"], "the copy of f.mp4 removed f.mp4's leftovers only")

        XCTAssertEqual(FileMover.removeStalePartials(in: target, olderThan: 60, now: Date().timeIntervalSince1970), [],
                       "a recent temporary file may belong to a live copy")
        XCTAssertEqual(FileMover.removeStalePartials(in: target, olderThan: 60, now: Date().timeIntervalSince1970 + 120),
                       [".g.mp4.partial-dead"])
        XCTAssertEqual(entries(target), ["f.mp4"])
    }

    func testPartialNamesAreNeverContentNames() {
        let name = FileMover.partialName(for: "f.mp4", id: "abc")
        XCTAssertEqual(name, ".f.mp4.partial-abc")
        XCTAssertTrue(FileMover.isPartialName(name))
        XCTAssertFalse(Content.isValidFilename(name))
        XCTAssertFalse(FileMover.isPartialName("f.partial-mp4"))
    }

    func testEnvironmentConfiguresTheCopyPath() {
        XCTAssertFalse(FileMover.configured(environment: [:]).forceCopy)
        XCTAssertTrue(FileMover.configured(environment: ["PSYX_FORCE_COPY": "1"]).forceCopy)
        XCTAssertFalse(FileMover.configured(environment: ["PSYX_FORCE_COPY": "0"]).forceCopy)
        XCTAssertEqual(FileMover.configured(environment: ["PSYX_COPY_PAUSE_MS": "5"]).pauseAfterChunkMicroseconds, 5000)
        XCTAssertEqual(FileMover.configured(environment: ["PSYX_COPY_PAUSE_MS": "x"]).pauseAfterChunkMicroseconds, 0)
    }
}
