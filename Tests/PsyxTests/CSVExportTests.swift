import FastCGI
import Foundation
import XCTest
@testable import Psyx

/// The CSV download's scanning path against its parsing path (the reference), on a real SQLite
/// store holding stored answers of every shape: the bytes must be the same.
final class CSVExportTests: XCTestCase {
    var directory = ""
    var store: SQLiteStore!
    var pack: Pack!

    /// Names that need CSV quoting, a formula guard, JSON escaping, and non-ASCII letters.
    static let stems = ["x", "a,b", "=c", "q\"x", "얼굴", "=\u{301}e", "-d"]

    override func setUpWithError() throws {
        directory = NSTemporaryDirectory() + "psyx-csv-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        store = try SQLiteStore(path: directory + "/psyx.sqlite3")
        let pairs = Self.stems.enumerated().map { index, stem in
            PackPair(number: index + 1, ori: Self.name(index + 1, .ori), inv: Self.name(index + 1, .inv))
        }
        let id = try store.createPack(NewPack(name: "odd", sex: 1, ageMin: 20, ageMax: 29, pairs: pairs), beforeCommit: {})
        pack = try XCTUnwrap(try store.pack(id: id))
    }

    override func tearDownWithError() throws {
        store = nil
        try? FileManager.default.removeItem(atPath: directory)
    }

    static func name(_ number: Int, _ side: PairFileName.Side) -> String {
        "\(stems[number - 1])_0000\(number)_\(side.rawValue).jpg"
    }

    /// Answers as the submit path stores them (`TrialJSON`), `[key, rt, X, Y]`.
    static func stored(_ trials: [(key: String, rt: String, x: String, y: String)]) -> String {
        var out: [UInt8] = [0x5B]
        for (index, trial) in trials.enumerated() {
            if index > 0 { out.append(0x2C) }
            TrialJSON.append(key: trial.key, rt: trial.rt, x: trial.x, y: trial.y, to: &out)
        }
        out.append(0x5D)
        return String(decoding: out, as: UTF8.self)
    }

    static let x1 = (ori: name(1, .ori), inv: name(1, .inv))

    /// Stored texts the scanner reads itself: the shape `AnswerCheck` writes.
    static let scannable: [String] = [
        stored([("F", "0.512", name(1, .inv), name(1, .ori)), ("J", "1", name(2, .ori), name(2, .inv)),
                (" ", "3.5", name(3, .ori), name(3, .inv))]),
        stored([("J", "0", name(5, .ori), name(5, .inv)), ("F", "-0", name(6, .inv), name(6, .ori)),
                ("F", "2.25", name(7, .ori), name(7, .inv)), (" ", "0.000001", name(1, .ori), name(1, .inv))]),
        // A name the pack does not have, and the empty name: no stimulus, no response, no key.
        stored([("F", "0.5", "nope.jpg", name(1, .inv)), ("F", "0.7", "", name(2, .inv))]),
        // "얼굴" decomposed (NFD): a different byte string that Swift's String equality matches.
        stored([("J", "1.5", "\u{1107}\u{1165}\u{11AF}\u{1100}\u{116E}\u{11AF}_00005_ori.jpg", name(5, .inv))]),
        "[]",
    ]

    /// Stored texts the scanner leaves to the parser.
    static let parsed: [String] = [
        stored([("F", "0.5", name(4, .ori), name(4, .inv)), ("J", "0.6", name(1, .ori), name(1, .inv))]),
        #"[ ["F", 0.5, "x_00001_ori.jpg", "x_00001_inv.jpg"] ]"#,
        #"[["F",5e-1,"x_00001_ori.jpg","x_00001_inv.jpg"],["J",1E2,"x_00001_ori.jpg","x_00001_inv.jpg"]]"#,
        #"[["J",0.5,"\u0078_00001_ori.jpg","x_00001_inv.jpg"],["F",0.5,"a\nb","c\r\nd"]]"#,
        #"[["F",0.5,"x_00001_ori.jpg"],"s",["J","0.5","x_00001_ori.jpg","x_00001_inv.jpg"],[null,1,2,3],["f",0.5,"x_00001_ori.jpg","x_00001_inv.jpg"],["FJ",1,"x_00001_ori.jpg","x_00001_inv.jpg"]]"#,
        #"[["F",0.5,"x_00001_ori.jpg","x_00001_inv.jpg"],["J",0.6,"x_00001_ori.jpg","a,b_00002_inv.jpg"]]"#,
        #"[["F",1234567890123456789012345678,"x_00001_ori.jpg","x_00001_inv.jpg"]]"#,
        #"[["F",01.5,"x_00001_ori.jpg","x_00001_inv.jpg"]]"#,
        #"[["F",1e400,"x_00001_ori.jpg","x_00001_inv.jpg"]]"#,
        #"[["F",0.5,"x_00001_ori.jpg","x_00001_inv.jpg"]] trailing"#,
        #"[["F",0.5,"x_00001_ori.jpg","x_00001_inv.jpg"],]"#,
        #"[["F",0.5,"x_00001_ori.jpg","x_00001_inv.jpg"]"#,
        "\u{FEFF}[]", "oops", #"{"a":1}"#, "", "[1]", "[[]]",
    ]

    /// Replies with `answers`; with `mixed`, every other pair of them in the original client's layout.
    func insert(_ answers: [String], firstNo: Int = 0, mixed: Bool = false) throws {
        for (offset, text) in answers.enumerated() {
            let no = offset % 3 == 1 ? "=\(firstNo + offset)" : "n\(firstNo + offset)"
            let layout: AnswerLayout = mixed && (offset / 2) % 2 == 1 ? .rightLeft : .leftRight
            let outcome = try store.insertReply(NewReply(packID: pack.id, name: "홍길동", email: "a@b.kr", no: no, sex: 2,
                                                         age: 21 + offset % 5, phone: "010-1234-5678", answers: text,
                                                         layout: layout, submissionID: nil))
            guard case .inserted = outcome else { return XCTFail("\(outcome)") }
        }
    }

    func download(scan: Bool) throws -> [UInt8] {
        let sink = CollectingSink()
        try ReplyExport(store: store, pack: pack, replyCount: 0).writeCSV(to: sink, scan: scan)
        return sink.bytes
    }

    func testScanningAndParsingGiveTheSameBytes() throws {
        try insert(Self.scannable + Self.parsed + Self.scannable.reversed(), mixed: true)
        let scanned = try download(scan: true)
        let reference = try download(scan: false)
        XCTAssertEqual(String(decoding: scanned, as: UTF8.self), String(decoding: reference, as: UTF8.self))
        XCTAssertTrue(scanned == reference, "the same bytes, not only the same text")
        XCTAssertGreaterThan(scanned.count, 1000)
    }

    func testScannerTakesStoredShapesAndLeavesTheRest() throws {
        let files = PackFiles(pack)
        var writer = CSVRowWriter(names: CSVNameTable(files: files))
        for text in Self.scannable {
            var out: [UInt8] = []
            XCTAssertTrue(writer.append(answers: text, layout: .leftRight, prefix: Array("p,".utf8), suffix: [0x0A], to: &out), text)
        }
        for text in Self.parsed {
            var out: [UInt8] = Array("kept".utf8)
            var fresh = CSVRowWriter(names: CSVNameTable(files: files))
            XCTAssertFalse(fresh.append(answers: text, layout: .leftRight, prefix: Array("p,".utf8), suffix: [0x0A], to: &out), text)
            XCTAssertEqual(out, Array("kept".utf8), text)
        }
    }

    /// The rows as rcicr reads them, written out by hand.
    func testRowsOfOneReply() throws {
        try insert([Self.scannable[0], Self.scannable[2]])
        let expected = """
            r_id,p_id,participant,no,sex,age,trial,key,rt,left,right,chosen,stimulus,response,platform_id,study_id,session_id,assignment_id,hit_id,consented_at,consent_version,input
            1,1,n0,n0,2,21,1,F,0.512,x_00001_inv.jpg,x_00001_ori.jpg,x_00001_inv.jpg,1,-1,,,,,,,,keys
            1,1,n0,n0,2,21,2,J,1,"a,b_00002_ori.jpg","a,b_00002_inv.jpg","a,b_00002_inv.jpg",2,-1,,,,,,,,keys
            1,1,n0,n0,2,21,3,,3.5,'=c_00003_ori.jpg,'=c_00003_inv.jpg,,3,,,,,,,,,keys
            2,1,'=1,'=1,2,22,1,F,0.5,nope.jpg,x_00001_inv.jpg,nope.jpg,,,,,,,,,,keys
            2,1,'=1,'=1,2,22,2,,0.7,,"a,b_00002_inv.jpg",,,,,,,,,,,keys

            """
        XCTAssertEqual(String(decoding: try download(scan: true), as: UTF8.self), expected)
        XCTAssertEqual(String(decoding: try download(scan: false), as: UTF8.self), expected)
    }

    /// The same stored bytes in the original client's layout: element 4 was on the left, so
    /// `left`/`right` swap and F chose element 4 — `chosen` and `response` follow the screen.
    func testRowsOfTheOriginalClientsLayout() throws {
        let answers = Self.stored([("F", "0.512", Self.name(1, .inv), Self.name(1, .ori)), ("J", "1", Self.name(2, .ori), Self.name(2, .inv)),
                                   (" ", "3", Self.name(3, .ori), Self.name(3, .inv))])
        _ = try store.insertReply(NewReply(packID: pack.id, name: "홍길동", email: "a@b.kr", no: "n0", sex: 2, age: 21,
                                           phone: "010-1234-5678", answers: answers, layout: .rightLeft, submissionID: nil))
        let expected = """
            r_id,p_id,participant,no,sex,age,trial,key,rt,left,right,chosen,stimulus,response,platform_id,study_id,session_id,assignment_id,hit_id,consented_at,consent_version,input
            1,1,n0,n0,2,21,1,F,0.512,x_00001_ori.jpg,x_00001_inv.jpg,x_00001_ori.jpg,1,1,,,,,,,,keys
            1,1,n0,n0,2,21,2,J,1,"a,b_00002_inv.jpg","a,b_00002_ori.jpg","a,b_00002_ori.jpg",2,1,,,,,,,,keys
            1,1,n0,n0,2,21,3,,3,'=c_00003_inv.jpg,'=c_00003_ori.jpg,,3,,,,,,,,,keys

            """
        XCTAssertEqual(String(decoding: try download(scan: true), as: UTF8.self), expected)
        XCTAssertEqual(String(decoding: try download(scan: false), as: UTF8.self), expected)
    }

    /// Many replies: the output is flushed in pieces and the name table grows past its first size.
    func testManyRepliesAcrossFlushes() throws {
        var many: [String] = []
        for index in 0..<120 {
            let trials = (1...Self.stems.count).map { number -> (key: String, rt: String, x: String, y: String) in
                let keys = ["F", "J", " "]
                let flip = (index + number) % 2 == 0
                let left = Self.name(number, flip ? .ori : .inv), right = Self.name(number, flip ? .inv : .ori)
                return (keys[(index * 7 + number) % 3], String(Double(index % 40) / 8), left, right)
            }
            many.append(index % 17 == 5 ? Self.parsed[index % Self.parsed.count] : Self.stored(trials))
        }
        many.append(Self.stored((0..<100).map { ("F", "0.5", "extra\($0).jpg", "other\($0).jpg") }))
        try insert(many, mixed: true)
        let scanned = try download(scan: true)
        XCTAssertGreaterThan(scanned.count, ReplyExport.flushSize)
        let reference = try download(scan: false)
        XCTAssertEqual(String(decoding: scanned, as: UTF8.self), String(decoding: reference, as: UTF8.self))
        XCTAssertTrue(scanned == reference, "the same bytes, not only the same text")
    }

    /// Quoting is decided on bytes: a CR LF pair, or a quote or `=` with a combining mark, are still seen.
    func testFieldEscapingSeesEveryByte() {
        XCTAssertEqual(CSVField.escape("plain_00001_ori.jpg"), "plain_00001_ori.jpg")
        XCTAssertEqual(CSVField.escape("c\r\nd"), "\"c\r\nd\"")
        XCTAssertEqual(CSVField.escape("a,b"), "\"a,b\"")
        XCTAssertEqual(CSVField.escape("a\"\u{301}b"), "\"a\"\"\u{301}b\"")
        XCTAssertEqual(CSVField.escape("=\u{301}1+1"), "'=\u{301}1+1")
        XCTAssertEqual(CSVField.escape("-5"), "'-5")
        XCTAssertEqual(CSVField.escape("=a,b"), "\"'=a,b\"")
        XCTAssertEqual(CSVField.escape(""), "")
    }
}
