import FastCGI
import Foundation
import XCTest
@testable import Psyx

/// `format=rcicr`: the CSV rows cut to what rcicr's `batchGenerateCI2IFC` takes, answered trials only.
extension CSVExportTests {
    func rcicr(chunk: Int? = nil) throws -> String {
        let csv = try download(scan: true)
        let collected = CollectingSink()
        let sink = RcicrCSVSink(target: collected)
        let size = chunk ?? max(csv.count, 1)
        for start in stride(from: 0, to: csv.count, by: size) {
            try Array(csv[start..<min(start + size, csv.count)]).withUnsafeBytes { try sink.write($0) }
        }
        return String(decoding: collected.bytes, as: UTF8.self)
    }

    /// Timeouts (and trials naming no file of the pack) are left out: no empty `response`, so no NA in R.
    func testRcicrRowsLeaveOutTimeouts() throws {
        try insert([Self.scannable[0], Self.scannable[1], Self.scannable[2]])
        let expected = """
            participant,r_id,trial,stimulus,response
            n0,1,1,1,-1
            n0,1,2,2,-1
            '=1,2,1,5,-1
            '=1,2,2,6,-1
            '=1,2,3,7,1

            """
        XCTAssertEqual(try rcicr(), expected)
        // The same whatever pieces the CSV arrives in.
        XCTAssertEqual(try rcicr(chunk: 1), expected)
        XCTAssertEqual(try rcicr(chunk: 7), expected)
    }

    /// A pack without replies: the header alone.
    func testRcicrWithoutReplies() throws {
        XCTAssertEqual(try rcicr(), RcicrCSVSink.header)
    }

    /// Many replies over several flushes, quoted names and stored texts the parser reads: one row per
    /// answered trial, each with a stimulus number and ±1.
    func testRcicrRowsOfManyReplies() throws {
        var many: [String] = []
        var answered = 0
        for index in 0..<90 {
            let trials = (1...Self.stems.count).map { number -> (key: String, rt: String, x: String, y: String) in
                let key = ["F", "J", " "][(index * 5 + number) % 3]
                if key != " " { answered += 1 }
                let flip = (index + number) % 2 == 0
                return (key, "0.75", Self.name(number, flip ? .ori : .inv), Self.name(number, flip ? .inv : .ori))
            }
            many.append(Self.stored(trials))
        }
        try insert(many + [Self.parsed[3], "oops"], firstNo: 0)
        let lines = try rcicr(chunk: 4096).split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.first, "participant,r_id,trial,stimulus,response")
        // Parsed[3] adds one answered trial of pair 1 ("\u0078" is x).
        XCTAssertEqual(lines.count - 1, answered + 1)
        for line in lines.dropFirst() {
            let cells = line.split(separator: ",", omittingEmptySubsequences: false)
            XCTAssertEqual(cells.count, 5, line)
            XCTAssertTrue(cells.count == 5 && (1...Self.stems.count).contains(Int(cells[3]) ?? 0), line)
            XCTAssertTrue(cells.count == 5 && ["1", "-1"].contains(cells[4]), line)
        }
    }
}
