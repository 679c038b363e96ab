import XCTest
@testable import Psyx

/// Level choice on both sides of every bound, raising the top, and the refused level sets.
final class LevelSetTests: XCTestCase {
    var example: LevelSet {
        get throws { try LevelSet(validating: RelocationFixture.exampleLevels) }
    }

    func testEveryBoundChoosesTheLevelOnItsSide() throws {
        let expected: [(Int64, String)] = [
            (0, "bronze"), (1, "bronze"), (998, "bronze"), (999, "bronze"),
            (1000, "silver"), (1001, "silver"), (1964, "silver"), (1999, "silver"),
            (2000, "gold"), (2001, "gold"), (3000, "gold"), (3001, "gold"),
        ]
        for (count, level) in expected {
            let choice = try XCTUnwrap(try example.choose(count: count), "count \(count)")
            XCTAssertEqual(choice.level.name, level, "count \(count)")
            XCTAssertNil(choice.raisedMax, "count \(count) is inside a range")
        }
    }

    func testACountAboveTheTopRaisesTheTopsMax() throws {
        for count: Int64 in [3002, 10_000, Int64.max] {
            let choice = try XCTUnwrap(try example.choose(count: count))
            XCTAssertEqual(choice.level.name, "gold")
            XCTAssertEqual(choice.raisedMax, count)
            XCTAssertEqual(choice.level.maxCounts, count)
            XCTAssertEqual(choice.level.minCounts, 2000)
        }
    }

    func testNegativeCountsAndEmptySetsChooseNothing() throws {
        XCTAssertNil(try example.choose(count: -1))
        XCTAssertNil(try LevelSet(validating: []).choose(count: 0))
    }

    func testLevelsAreSortedWhateverTheOrderGiven() throws {
        let set = try LevelSet(validating: RelocationFixture.exampleLevels.reversed())
        XCTAssertEqual(set.levels.map(\.name), ["bronze", "silver", "gold"])
        XCTAssertEqual(set.top?.name, "gold")
    }

    func testASingleLevelFromZeroIsValid() throws {
        let one = try LevelSet(validating: [Level(name: "all", minCounts: 0, maxCounts: 0, path: "levels/all")])
        XCTAssertEqual(one.choose(count: 0)?.level.name, "all")
        XCTAssertEqual(one.choose(count: 5)?.raisedMax, 5)
    }

    func testOverlapIsRefusedNamingBothLevels() {
        XCTAssertThrowsError(try example.applying([Level(name: "gold", minCounts: 1500, maxCounts: 3001, path: "levels/gold")])) {
            XCTAssertEqual(($0 as? LevelSetError)?.description, "levels overlap: silver 1000–1999 and gold 1500–3001")
        }
        XCTAssertThrowsError(try example.applying([Level(name: "gold", minCounts: 1999, maxCounts: 3001, path: "levels/gold")])) {
            XCTAssertEqual(($0 as? LevelSetError)?.description, "levels overlap: silver 1000–1999 and gold 1999–3001")
        }
    }

    func testGapIsRefusedNamingItsBounds() {
        XCTAssertThrowsError(try example.applying([Level(name: "silver", minCounts: 1100, maxCounts: 1999, path: "levels/silver")])) {
            XCTAssertEqual(($0 as? LevelSetError)?.description, "gap between 999 and 1100")
        }
        XCTAssertThrowsError(try example.applying([Level(name: "gold", minCounts: 2001, maxCounts: 3001, path: "levels/gold")])) {
            XCTAssertEqual(($0 as? LevelSetError)?.description, "gap between 1999 and 2001")
        }
    }

    func testNoLevelAtZeroIsRefused() {
        XCTAssertThrowsError(try LevelSet(validating: [Level(name: "silver", minCounts: 1000, maxCounts: 1999, path: "s")])) {
            XCTAssertEqual(($0 as? LevelSetError)?.description, "no level starts at 0 (the lowest is silver 1000–1999)")
        }
    }

    func testMalformedLevelsAreRefused() {
        let cases: [(Level, String)] = [
            (Level(name: "bronze", minCounts: 0, maxCounts: -1, path: "b"), "level bronze: min 0 is above max -1"),
            (Level(name: "bronze", minCounts: -5, maxCounts: 10, path: "b"), "level bronze: min -5 is negative"),
            (Level(name: "bro nze", minCounts: 0, maxCounts: 10, path: "b"), "invalid level name \"bro nze\" (use 1–64 letters, digits, - or _)"),
            (Level(name: "", minCounts: 0, maxCounts: 10, path: "b"), "invalid level name \"\" (use 1–64 letters, digits, - or _)"),
            (Level(name: "bronze", minCounts: 0, maxCounts: 10, path: ""), "level bronze: invalid folder \"\""),
            (Level(name: "bronze", minCounts: 0, maxCounts: 10, path: "../up"), "level bronze: invalid folder \"../up\""),
        ]
        for (level, message) in cases {
            XCTAssertThrowsError(try LevelSet(validating: [level])) {
                XCTAssertEqual(($0 as? LevelSetError)?.description, message)
            }
        }
    }

    func testDuplicateNamesAndSharedFoldersAreRefused() {
        XCTAssertThrowsError(try example.applying([
            Level(name: "x", minCounts: 3002, maxCounts: 4000, path: "levels/x"),
            Level(name: "x", minCounts: 3002, maxCounts: 5000, path: "levels/x"),
        ])) { XCTAssertEqual($0 as? LevelSetError, .duplicateName("x")) }
        XCTAssertThrowsError(try example.applying([Level(name: "platinum", minCounts: 3002, maxCounts: 4000, path: "levels/gold/")])) {
            XCTAssertEqual(($0 as? LevelSetError)?.description, "levels gold and platinum share the folder levels/gold/")
        }
    }

    func testSeveralLevelsCanMoveTogether() throws {
        // One at a time each step would be refused (overlap, then gap); together they are valid.
        let moved = try example.applying([
            Level(name: "silver", minCounts: 1000, maxCounts: 1499, path: "levels/silver"),
            Level(name: "gold", minCounts: 1500, maxCounts: 3001, path: "levels/gold"),
        ])
        XCTAssertEqual(moved.choose(count: 1499)?.level.name, "silver")
        XCTAssertEqual(moved.choose(count: 1500)?.level.name, "gold")
        let added = try example.applying([Level(name: "platinum", minCounts: 3002, maxCounts: 9999, path: "levels/platinum")])
        XCTAssertEqual(added.top?.name, "platinum")
        XCTAssertEqual(added.choose(count: 3001)?.level.name, "gold")
        XCTAssertEqual(added.choose(count: 3002)?.level.name, "platinum")
    }

    func testFolderIsAbsoluteOrInsideTheDataDirectory() {
        XCTAssertEqual(Level(name: "a", minCounts: 0, maxCounts: 1, path: "levels/a").folder(dataRoot: "/d"), "/d/levels/a")
        XCTAssertEqual(Level(name: "a", minCounts: 0, maxCounts: 1, path: "./levels/a").folder(dataRoot: "/d"), "/d/levels/a")
        XCTAssertEqual(Level(name: "a", minCounts: 0, maxCounts: 1, path: "/mnt/fast/a").folder(dataRoot: "/d"), "/mnt/fast/a")
    }
}
