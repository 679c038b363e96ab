import Foundation
import Synchronization
import XCTest
@testable import Psyx

/// A clock the test moves by hand, in a chosen zone.
final class FakeLogClock: LogClock {
    let timeZone: TimeZone
    private let current: Mutex<Date>

    init(_ date: Date, in timeZone: TimeZone) {
        self.timeZone = timeZone
        current = Mutex(date)
    }

    func now() -> Date { current.withLock { $0 } }
    func set(_ date: Date) { current.withLock { $0 = date } }
}

final class RequestLogTests: XCTestCase {
    private var directory = ""
    private let seoul = TimeZone(identifier: "Asia/Seoul") ?? TimeZone(secondsFromGMT: 9 * 3600)!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("psyx-log-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: directory)
    }

    // MARK: - Helpers

    private func date(_ year: Int, _ month: Int, _ day: Int, _ hour: Int = 12, _ minute: Int = 0,
                      _ second: Int = 0, _ millisecond: Int = 0, in zone: TimeZone) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let components = DateComponents(year: year, month: month, day: day, hour: hour, minute: minute,
                                        second: second, nanosecond: millisecond * 1_000_000)
        return calendar.date(from: components) ?? Date(timeIntervalSince1970: 0)
    }

    private func entry(_ route: String = "/api/reply/start") -> LogEntry {
        LogEntry(level: .info, requestID: "r1", method: "POST", route: route, status: 200,
                 durationMilliseconds: 1.5, client: "10.0.0.7")
    }

    private func lines(_ name: String) -> [String] {
        let text = (try? String(contentsOfFile: directory + "/" + name, encoding: .utf8)) ?? ""
        return text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
    }

    private func names() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted()
    }

    private func touch(_ name: String, contents: String = "", modified: Date? = nil) throws {
        let path = directory + "/" + name
        try Data(contents.utf8).write(to: URL(fileURLWithPath: path))
        if let modified {
            try FileManager.default.setAttributes([.modificationDate: modified], ofItemAtPath: path)
        }
    }

    // MARK: - Lines

    func testRequestLineHasEveryColumn() {
        let clock = FakeLogClock(date(2024, 3, 10, 23, 59, 30, 250, in: seoul), in: seoul)
        let log = RequestLog(directory: directory, clock: clock)
        log.record(LogEntry(level: .warning, requestID: "7f3a9c", method: "POST", route: "/api/reply/start",
                            status: 400, durationMilliseconds: 12.345, client: "203.0.113.9", user: "admin",
                            message: "No Suitable Pack for You"))
        XCTAssertEqual(lines("api.log"), [
            "2024-03-10T23:59:30.250+09:00\tWARN\t7f3a9c\tPOST\t/api/reply/start\t400\t12.3\t203.0.113.9\tadmin"
                + "\tNo Suitable Pack for You",
        ])
        XCTAssertEqual(log.failureCount, 0)
    }

    func testAbsentValuesAndNotesUseDashes() {
        let clock = FakeLogClock(date(2024, 1, 2, 3, 4, 5, 6, in: TimeZone(secondsFromGMT: 0)!),
                                 in: TimeZone(secondsFromGMT: 0)!)
        let log = RequestLog(directory: directory, clock: clock)
        log.record(LogEntry(level: .error, requestID: "", method: "GET", route: "/api/health", status: 500,
                            durationMilliseconds: .nan, client: "", user: nil, message: nil))
        log.note(.info, "psyx started")
        XCTAssertEqual(lines("api.log"), [
            "2024-01-02T03:04:05.006+00:00\tERROR\t-\tGET\t/api/health\t500\t0.0\t-\t-\t-",
            "2024-01-02T03:04:05.006+00:00\tINFO\t-\t-\t-\t-\t-\t-\t-\tpsyx started",
        ])
    }

    func testControlCharactersAreEscaped() {
        let clock = FakeLogClock(date(2024, 3, 10, in: seoul), in: seoul)
        let log = RequestLog(directory: directory, clock: clock)
        var bad = entry("/a\tb")
        bad.message = "one\ntwo\rthree\u{1}\u{7F}\u{85}\\ \u{2028}end"
        log.record(bad)
        let written = lines("api.log")
        XCTAssertEqual(written.count, 1)
        let columns = written.first?.components(separatedBy: "\t") ?? []
        XCTAssertEqual(columns.count, 10)
        XCTAssertEqual(columns.dropFirst(4).first, "/a\\tb")
        XCTAssertEqual(columns.last, "one\\ntwo\\rthree\\u0001\\u007F\\u0085\\\\ \\u2028end")
    }

    func testLongColumnIsCut() {
        let long = String(repeating: "x", count: 5000)
        XCTAssertEqual(LogLine.escaped(long), String(repeating: "x", count: 1024) + "…")
        XCTAssertEqual(LogLine.escaped(String(repeating: "x", count: 1024)), String(repeating: "x", count: 1024))
    }

    func testDurationFormatting() {
        XCTAssertEqual(LogLine.milliseconds(12.345), "12.3")
        XCTAssertEqual(LogLine.milliseconds(0.96), "1.0")
        XCTAssertEqual(LogLine.milliseconds(0.04), "0.0")
        XCTAssertEqual(LogLine.milliseconds(-5), "0.0")
        XCTAssertEqual(LogLine.milliseconds(.infinity), "0.0")
        XCTAssertEqual(LogLine.milliseconds(1e300), "1000000000000.0")
    }

    func testTimestampsInSeveralZones() {
        let instant = date(2024, 1, 1, 0, 0, 0, 0, in: TimeZone(secondsFromGMT: 0)!)
        XCTAssertEqual(LocalTime(instant, in: seoul).iso8601, "2024-01-01T09:00:00.000+09:00")
        XCTAssertEqual(LocalTime(instant, in: TimeZone(secondsFromGMT: -12_600)!).iso8601,
                       "2023-12-31T20:30:00.000-03:30")
        XCTAssertEqual(LocalTime(Date(timeIntervalSince1970: -0.001), in: TimeZone(secondsFromGMT: 0)!).iso8601,
                       "1969-12-31T23:59:59.999+00:00")
    }

    /// The hand-written calendar arithmetic agrees with Foundation's `Calendar` across zones and centuries.
    func testLocalTimeAgreesWithCalendar() {
        var generator = SystemRandomNumberGenerator()
        let zones = [seoul, TimeZone(identifier: "America/Los_Angeles"), TimeZone(identifier: "Asia/Kolkata"),
                     TimeZone(secondsFromGMT: -12_600), TimeZone(secondsFromGMT: 0)].compactMap { $0 }
        for _ in 0..<2000 {
            let instant = Date(timeIntervalSince1970: Double.random(in: -4e9...7e9, using: &generator))
            let zone = zones[Int.random(in: 0..<zones.count, using: &generator)]
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = zone
            let expected = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: instant)
            let local = LocalTime(instant, in: zone)
            XCTAssertEqual([local.year, local.month, local.day, local.hour, local.minute, local.second],
                           [expected.year, expected.month, expected.day, expected.hour, expected.minute,
                            expected.second].map { $0 ?? -1 }, "\(instant) in \(zone.identifier)")
            XCTAssertEqual(LocalTime.dayNumber(year: local.year, month: local.month, day: local.day),
                           local.dayNumber)
        }
    }

    // MARK: - Rotation

    func testCrossingLocalMidnightArchivesTheDayThatEnded() {
        let beforeMidnight = date(2024, 3, 10, 23, 59, 30, in: seoul)
        let afterMidnight = beforeMidnight.addingTimeInterval(60)
        // Both instants are on 2024-03-10 in UTC: only the local zone makes this a new day.
        let utc = TimeZone(secondsFromGMT: 0)!
        XCTAssertEqual(LocalTime(beforeMidnight, in: utc).dayNumber, LocalTime(afterMidnight, in: utc).dayNumber)

        let clock = FakeLogClock(beforeMidnight, in: seoul)
        let log = RequestLog(directory: directory, clock: clock)
        log.record(entry("/before"))
        log.record(entry("/before-again"))
        XCTAssertEqual(names(), ["api.log"])
        clock.set(afterMidnight)
        log.record(entry("/after"))

        XCTAssertEqual(names(), ["api.20240310.log", "api.log"])
        XCTAssertEqual(lines("api.20240310.log").map { $0.components(separatedBy: "\t")[4] },
                       ["/before", "/before-again"])
        XCTAssertEqual(lines("api.log").map { $0.components(separatedBy: "\t")[4] }, ["/after"])
        XCTAssertTrue(lines("api.log").first?.hasPrefix("2024-03-11T00:00:30.000+09:00") ?? false)
    }

    func testMidnightInAZoneWestOfUTC() {
        let zone = TimeZone(secondsFromGMT: -5 * 3600)!
        let clock = FakeLogClock(date(2024, 12, 31, 23, 59, 59, 900, in: zone), in: zone)
        let log = RequestLog(directory: directory, clock: clock)
        log.record(entry("/old-year"))
        clock.set(date(2025, 1, 1, 0, 0, 0, 100, in: zone))
        log.record(entry("/new-year"))
        XCTAssertEqual(names(), ["api.20241231.log", "api.log"])
        XCTAssertEqual(lines("api.20241231.log").count, 1)
    }

    /// The zone's offset is remembered between lines, but never across a daylight-saving change
    /// or a clock set back.
    func testOffsetFollowsDaylightSavingChangesAndAClockSetBack() throws {
        let berlin = try XCTUnwrap(TimeZone(identifier: "Europe/Berlin"))
        let utc = TimeZone(secondsFromGMT: 0)!
        let clock = FakeLogClock(date(2024, 3, 31, 0, 59, 59, 900, in: utc), in: berlin)
        let log = RequestLog(directory: directory, clock: clock)
        log.record(entry("/winter"))
        clock.set(date(2024, 3, 31, 1, 0, 0, 100, in: utc))
        log.record(entry("/summer"))
        clock.set(date(2024, 3, 31, 0, 30, 0, 0, in: utc))
        log.record(entry("/set-back"))
        let written = lines("api.log").map { $0.split(separator: "\t")[0] }
        XCTAssertEqual(written, ["2024-03-31T01:59:59.900+01:00", "2024-03-31T03:00:00.100+02:00", "2024-03-31T01:30:00.000+01:00"])
    }

    func testStartupArchivesAFileLastWrittenOnAnEarlierDay() throws {
        try touch("api.log", contents: "old line\n", modified: date(2024, 3, 9, 22, in: seoul))
        let clock = FakeLogClock(date(2024, 3, 10, 8, in: seoul), in: seoul)
        RequestLog(directory: directory, clock: clock).record(entry("/new"))
        XCTAssertEqual(names(), ["api.20240309.log", "api.log"])
        XCTAssertEqual(lines("api.20240309.log"), ["old line"])
        XCTAssertEqual(lines("api.log").count, 1)
    }

    func testStartupAppendsToAFileFromToday() throws {
        try touch("api.log", contents: "earlier today\n", modified: date(2024, 3, 10, 0, 5, in: seoul))
        let clock = FakeLogClock(date(2024, 3, 10, 8, in: seoul), in: seoul)
        RequestLog(directory: directory, clock: clock).record(entry("/new"))
        XCTAssertEqual(names(), ["api.log"])
        XCTAssertEqual(lines("api.log").count, 2)
        XCTAssertEqual(lines("api.log").first, "earlier today")
    }

    func testArchivingOntoAnExistingDailyFileAppends() throws {
        try touch("api.20240309.log", contents: "first\n")
        try touch("api.log", contents: "second\n", modified: date(2024, 3, 9, 23, in: seoul))
        let clock = FakeLogClock(date(2024, 3, 10, 1, in: seoul), in: seoul)
        RequestLog(directory: directory, clock: clock).note(.info, "started")
        XCTAssertEqual(lines("api.20240309.log"), ["first", "second"])
        XCTAssertEqual(lines("api.log").count, 1)
    }

    func testDailyFilesOlderThanRetentionAreDeleted() throws {
        for name in ["api.20231231.log", "api.20240224.log", "api.20240225.log", "api.20240309.log",
                     "api.2024022.log", "api.20240230.log", "api.2024022x.log", "notes.txt"] {
            try touch(name, contents: "x\n")
        }
        let clock = FakeLogClock(date(2024, 3, 10, 9, in: seoul), in: seoul)
        let log = RequestLog(directory: directory, clock: clock)
        log.record(entry())
        // 2024-02-24 is 15 days before 2024-03-10 (deleted); 2024-02-25 is 14 (kept).
        XCTAssertEqual(names(), ["api.20240225.log", "api.20240230.log", "api.20240309.log", "api.2024022.log",
                                 "api.2024022x.log", "api.log", "notes.txt"].sorted())
        // At the next midnight 2024-02-25 falls out of the window too.
        clock.set(date(2024, 3, 11, 0, 0, 1, in: seoul))
        log.record(entry())
        XCTAssertEqual(names(), ["api.20240230.log", "api.20240309.log", "api.20240310.log", "api.2024022.log",
                                 "api.2024022x.log", "api.log", "notes.txt"].sorted())
    }

    func testArchiveNames() {
        XCTAssertEqual(DailyRotation.archiveDay(fileName: "api.20240310.log"),
                       LocalTime.dayNumber(year: 2024, month: 3, day: 10))
        XCTAssertEqual(DailyRotation.archiveDay(fileName: "api.19700101.log"), 0)
        for name in ["api.log", "api.20240230.log", "api.20241301.log", "api.2024031.log", "api.202403100.log",
                     "api.20240310.txt", "xpi.20240310.log", "api.２０２４0310.log"] {
            XCTAssertNil(DailyRotation.archiveDay(fileName: name), name)
        }
    }

    // MARK: - Directory and failures

    func testMissingDirectoryIsCreatedPrivate() throws {
        let nested = directory + "/data/logs"
        let clock = FakeLogClock(date(2024, 3, 10, in: seoul), in: seoul)
        RequestLog(directory: nested, clock: clock).record(entry())
        let attributes = try FileManager.default.attributesOfItem(atPath: nested)
        XCTAssertEqual((attributes[.posixPermissions] as? NSNumber)?.intValue, 0o700)
        XCTAssertTrue(FileManager.default.fileExists(atPath: nested + "/api.log"))
    }

    func testUnwritableDirectoryDropsLinesQuietly() throws {
        try touch("plain-file", contents: "not a directory")
        let clock = FakeLogClock(date(2024, 3, 10, in: seoul), in: seoul)
        let log = RequestLog(directory: directory + "/plain-file/logs", clock: clock)
        log.record(entry())
        log.note(.error, "still alive")
        clock.set(date(2024, 3, 11, in: seoul))
        log.record(entry())
        XCTAssertEqual(log.failureCount, 3)
        XCTAssertEqual(names(), ["plain-file"])
    }

    func testConcurrentLinesStayWhole() {
        let clock = FakeLogClock(date(2024, 3, 10, in: seoul), in: seoul)
        let log = RequestLog(directory: directory, clock: clock)
        DispatchQueue.concurrentPerform(iterations: 8) { worker in
            for index in 0..<200 {
                log.record(LogEntry(level: .info, requestID: "r", method: "GET",
                                    route: "/w\(worker)/\(index)/" + String(repeating: "p", count: index * 10),
                                    status: 200, durationMilliseconds: 1, client: "c"))
            }
        }
        let written = lines("api.log")
        XCTAssertEqual(written.count, 1600)
        XCTAssertTrue(written.allSatisfy { $0.components(separatedBy: "\t").count == 10 })
        XCTAssertEqual(Set(written.map { $0.components(separatedBy: "\t")[4] }).count, 1600)
    }
}
