import Psyx
import XCTest

final class MultipartParserTests: XCTestCase {
    static let boundary = "----WebKitFormBoundaryX3bY9zQ"

    /// Binary content full of near-delimiters: each is a prefix of, or one byte
    /// off, the real `CRLF--boundary`, or the boundary without its CRLF.
    static var trickyContent: [UInt8] {
        let b = bytes(boundary)
        var content: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x0D]
        content += bytes("\r\n--") + [0x00]
        content += bytes("\r\n--") + b.dropLast() + bytes("Z")
        content += bytes("\r\n--") + b.dropLast(3) + [0x0D]
        content += bytes("\r\r\n-\r\n--\r\n") + b.prefix(5)
        content += bytes("--") + b + bytes("\r\n")       // no CR before: content
        content += bytes("\n--") + b + bytes("\r\n")     // LF only: content
        content += bytes("\r-") + b                      // one dash missing
        content += Array(0...255) + Array((0...255).reversed())
        content += bytes("\r\n\r\n\r")                   // ends with CR right before the delimiter
        return content
    }

    static var sampleParts: [TestPart] {
        [
            TestPart(headerLines: [#"Content-Disposition: form-data; name="pack_name""#],
                     content: bytes("female20s"), expected: PartHeaders(name: "pack_name")),
            TestPart(headerLines: ["content-disposition:FORM-DATA;name=sex"],
                     content: bytes("2"), expected: PartHeaders(name: "sex")),
            TestPart(headerLines: [#"Content-Disposition: form-data; name="file"; filename="pack/x_00001_ori.jpg""#,
                                   "Content-Type: image/jpeg"],
                     content: trickyContent,
                     expected: PartHeaders(name: "file", filename: "pack/x_00001_ori.jpg", contentType: "image/jpeg")),
            TestPart(headerLines: [#"CONTENT-TYPE:   image/png  "#,
                                   #"Content-Disposition: form-data; filename="pack\\sub/x_00001_inv.png"; name="file""#],
                     content: Array(repeating: 0x0D, count: 40) + bytes("\r\n--"),
                     expected: PartHeaders(name: "file", filename: #"pack\sub/x_00001_inv.png"#, contentType: "image/png")),
            TestPart(headerLines: [#"Content-Disposition: form-data; name="quo\"ted \\ name"; filename="a \"b\".jpg"; filename*=UTF-8''x.jpg"#],
                     content: [], expected: PartHeaders(name: #"quo"ted \ name"#, filename: #"a "b".jpg"#)),
            TestPart(headerLines: [#"Content-Disposition: form-data;"#, #"  name="folded""#],
                     content: bytes("line one\r\nline two\r\n"), expected: PartHeaders(name: "folded")),
            TestPart(headerLines: [#"Content-Disposition: form-data; name="age_min""#],
                     content: bytes("20"), expected: PartHeaders(name: "age_min")),
            TestPart(headerLines: [#"Content-Disposition: form-data; name="이름"; filename="사진/홍길동_00002_inv.JPG""#],
                     content: bytes("한글"), expected: PartHeaders(name: "이름", filename: "사진/홍길동_00002_inv.JPG")),
        ]
    }

    static var sampleBody: [UInt8] {
        body(boundary: boundary, parts: sampleParts,
             preamble: bytes("This is the preamble.\r\n--not it\r\n-") + bytes(boundary).prefix(4) + bytes("\r\n"),
             epilogue: bytes("\r\nepilogue --\(boundary)\r\ngarbage"))
    }

    func testSampleBodyGivesTheSameEventsHoweverItIsChunked() {
        let expected = Self.expectedEvents(Self.sampleParts)
        XCTAssertEqual(expected.count, 23)
        Self.assertEveryChunking(Self.sampleBody, boundary: Self.boundary, gives: .events(expected), seeds: 0..<300)
    }

    func testBoundaryAtVeryStartWithoutPreamble() throws {
        var parser = MultipartParser(boundary: "b")
        let events = try parser.feed(Self.bytes("--b\r\nContent-Disposition: form-data; name=a\r\n\r\nx\r\n--b--"))
        XCTAssertEqual(events, [.partBegin(PartHeaders(name: "a")), .partData(Self.bytes("x")), .partEnd])
        XCTAssertTrue(parser.isFinished)
        try parser.finish()
        XCTAssertEqual(try parser.feed(Self.bytes("anything after the end")), [])
    }

    func testWindowsPathFilenamesKeepTheirBackslashes() throws {
        var parser = MultipartParser(boundary: "b")
        let head = #"--b\r\nContent-Disposition: form-data; name="file"; filename="C:\faces\x_00001_ori.jpg"\r\n\r\nx\r\n"#
        let quoted = #"--b\r\nContent-Disposition: form-data; name="file"; filename="say \"hi\".jpg"\r\n\r\ny\r\n--b--"#
        let events = try parser.feed(Self.bytes(head.replacingOccurrences(of: "\\r\\n", with: "\r\n")
            + quoted.replacingOccurrences(of: "\\r\\n", with: "\r\n")))
        guard events.count > 3, case .partBegin(let windows) = events[0], case .partBegin(let escaped) = events[3] else {
            return XCTFail("unexpected events \(events)")
        }
        XCTAssertEqual(windows.filename, #"C:\faces\x_00001_ori.jpg"#)
        XCTAssertEqual(windows.baseFilename, "x_00001_ori.jpg")
        XCTAssertEqual(escaped.filename, #"say "hi".jpg"#)
    }

    func testTransportPaddingAfterBoundaryIsAccepted() {
        let body = Self.bytes("--b \t \r\nContent-Disposition: form-data; name=a\r\n\r\nx\r\n--b--\r\n")
        Self.assertEveryChunking(body, boundary: "b", gives: .events(
            [.partBegin(PartHeaders(name: "a")), .partData(Self.bytes("x")), .partEnd]))
    }

    func testBodyWithNoPartsAtAll() {
        Self.assertEveryChunking(Self.bytes("--b--\r\n"), boundary: "b", gives: .events([]))
    }

    /// Random content over a tiny alphabet makes near-delimiters very common.
    func testRandomContentOverDelimiterAlphabet() {
        let boundary = "-x"
        let delimiter = Self.bytes("\r\n--" + boundary)
        let alphabet = Self.bytes("\r\n-x")
        for seed in UInt64(0)..<200 {
            var generator = SeededGenerator(seed: seed &+ 1000)
            var contents: [[UInt8]] = []
            while contents.count < 3 {
                let length = Int.random(in: 0...300, using: &generator)
                let content = (0..<length).map { _ in alphabet.randomElement(using: &generator) ?? 0 }
                if !Self.contains(content + Self.bytes("\r\n"), delimiter) { contents.append(content) }
            }
            let parts = contents.enumerated().map { index, content in
                TestPart(headerLines: ["Content-Disposition: form-data; name=f\(index)"], content: content,
                         expected: PartHeaders(name: "f\(index)"))
            }
            let body = Self.body(boundary: boundary, parts: parts)
            let expected = Outcome.events(Self.expectedEvents(parts))
            for chunking in [Chunking.whole, .byteByByte, .random(seed: seed, maxSize: 9)] {
                XCTAssertEqual(Self.parse(body, boundary: boundary, chunking: chunking), expected, "seed \(seed)")
            }
        }
    }

    /// Data is released as it comes: never more than the delimiter minus one byte is held back.
    func testHoldsBackAtMostTheDelimiterLength() throws {
        let boundary = Self.boundary
        let delimiter = Self.bytes("\r\n--" + boundary)
        var parser = MultipartParser(boundary: boundary)
        _ = try parser.feed(Self.bytes("--\(boundary)\r\nContent-Disposition: form-data; name=file\r\n\r\n"))
        var fed: [UInt8] = []
        var emitted: [UInt8] = []
        var generator = SeededGenerator(seed: 7)
        for round in 0..<2000 {
            // A leading NUL keeps the previous round's false start from completing.
            var chunk = [0] + (0..<Int.random(in: 0...600, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            if round % 3 == 0 { chunk += delimiter.dropLast() }     // the longest possible false start
            if round % 3 == 1 { chunk += [0x0D] }
            fed += chunk
            for event in try parser.feed(chunk) {
                guard case .partData(let data) = event else { return XCTFail("unexpected \(event)") }
                emitted += data
            }
            XCTAssertLessThanOrEqual(fed.count - emitted.count, delimiter.count - 1)
            if round % 3 == 0 { XCTAssertEqual(fed.count - emitted.count, delimiter.count - 1) }
        }
        let end = try parser.feed(Self.bytes("\r\n--\(boundary)--"))
        for event in end { if case .partData(let data) = event { emitted += data } }
        XCTAssertEqual(end.last, .partEnd)
        XCTAssertEqual(emitted, fed)
        try parser.finish()
    }

    func testLargePartArrivesIntactThroughRawPointerFeeds() throws {
        var generator = SeededGenerator(seed: 42)
        let content = (0..<1_000_000).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let parts = [TestPart(headerLines: [#"Content-Disposition: form-data; name="file"; filename="big.bin""#],
                              content: content, expected: PartHeaders(name: "file", filename: "big.bin"))]
        let body = Self.body(boundary: Self.boundary, parts: parts)
        var parser = MultipartParser(boundary: Self.boundary)
        var events: [MultipartEvent] = []
        try body.withUnsafeBytes { raw in
            var start = 0
            while start < raw.count {
                let end = min(start + 65_535, raw.count)
                events += try parser.feed(UnsafeRawBufferPointer(rebasing: raw[start..<end]))
                start = end
            }
        }
        try parser.finish()
        XCTAssertEqual(Self.coalesced(events), Self.expectedEvents(parts))
    }

    func testBoundaryFromContentType() {
        let cases: [(String, String?)] = [
            ("multipart/form-data; boundary=----WebKitFormBoundaryX3bY9zQ", "----WebKitFormBoundaryX3bY9zQ"),
            ("multipart/form-data;boundary=abc", "abc"),
            ("Multipart/Form-Data; BOUNDARY=abc; charset=utf-8", "abc"),
            (" multipart/form-data ; charset=utf-8 ; boundary=\"a;b c\"", "a;b c"),
            ("multipart/form-data; boundary=\"a\\\"b\"", "a\"b"),
            ("multipart/form-data; x=\"; boundary=evil\"; boundary=real", "real"),
            ("multipart/form-data; boundary=first; boundary=second", "first"),
            ("multipart/form-data; boundary=" + String(repeating: "z", count: 70), String(repeating: "z", count: 70)),
            ("multipart/form-data; boundary=" + String(repeating: "z", count: 71), nil),
            ("multipart/form-data; boundary=", nil),
            ("multipart/form-data; boundary=\"\"", nil),
            ("multipart/form-data; boundary=\"ab \"", nil),
            ("multipart/form-data; boundary=\"unterminated", nil),
            ("multipart/form-data; boundary=한글", nil),
            ("multipart/form-data", nil),
            ("multipart/mixed; boundary=abc", nil),
            ("application/x-www-form-urlencoded", nil),
            ("", nil),
        ]
        for (contentType, expected) in cases {
            XCTAssertEqual(MultipartParser.boundary(fromContentType: contentType), expected, contentType)
        }
    }

    func testBaseFilenameKeepsOnlyTheLastComponent() {
        let cases: [(String?, String?)] = [
            ("pack/x_00001_ori.jpg", "x_00001_ori.jpg"),
            ("a/b/c/x_00002_inv.JPEG", "x_00002_inv.JPEG"),
            (#"C:\Users\me\x.png"#, "x.png"),
            (#"pack\sub/x.jpg"#, "x.jpg"),
            ("x.jpg", "x.jpg"),
            ("사진/홍길동.jpg", "홍길동.jpg"),
            ("/\u{301}x.jpg", "\u{301}x.jpg"),
            ("pack/", nil), ("", nil), (nil, nil), ("..", nil), ("pack/..", nil), (#"a\."#, nil),
        ]
        for (filename, expected) in cases {
            XCTAssertEqual(PartHeaders(name: "file", filename: filename).baseFilename, expected, filename ?? "nil")
        }
    }

    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard haystack.count >= needle.count else { return false }
        return (0...(haystack.count - needle.count)).contains { haystack[$0..<($0 + needle.count)].elementsEqual(needle) }
    }
}
