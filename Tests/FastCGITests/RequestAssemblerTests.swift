import XCTest
@testable import FastCGI

final class RequestAssemblerTests: XCTestCase {
    private let serverValues = ["FCGI_MAX_CONNS": "256", "FCGI_MAX_REQS": "256", "FCGI_MPXS_CONNS": "0"]

    private func assembler(_ limits: RequestAssembler.Limits = .init()) -> RequestAssembler {
        RequestAssembler(serverValues: serverValues, limits: limits)
    }

    func testFullRequestFlow() {
        var assembler = assembler()
        XCTAssertTrue(assembler.isIdle)
        XCTAssertEqual(assembler.receive(Send.begin(1)), [])
        XCTAssertFalse(assembler.isIdle)
        XCTAssertEqual(assembler.receive(Send.params(1, [("REQUEST_METHOD", "POST"), ("SCRIPT_NAME", "/api")])), [])
        XCTAssertEqual(assembler.receive(Send.params(1, [("CONTENT_LENGTH", "5")])), [])
        XCTAssertEqual(assembler.receive(Send.endParams(1)), [.start(RequestHead(
            id: 1,
            params: ["REQUEST_METHOD": "POST", "SCRIPT_NAME": "/api", "CONTENT_LENGTH": "5"],
            keepConnection: false))])
        XCTAssertEqual(assembler.receive(Send.stdin(1, [1, 2, 3])), [.body([1, 2, 3])])
        XCTAssertEqual(assembler.receive(Send.stdin(1, [4, 5])), [.body([4, 5])])
        XCTAssertEqual(assembler.receive(Send.endStdin(1)), [.end])
        XCTAssertFalse(assembler.isIdle, "responding until the response is written")
        assembler.finishRequest()
        XCTAssertTrue(assembler.isIdle)
    }

    func testFlowFromRawBytesThroughTheDecoder() throws {
        let bytes = TestBytes.record(.beginRequest, id: 1, content: [0, 1, 1, 0, 0, 0, 0, 0])
            + TestBytes.record(.params, id: 1, content: [11, 3] + Array("REQUEST_URI/ok".utf8), padding: 3)
            + TestBytes.record(.params, id: 1)
            + TestBytes.record(.stdin, id: 1)
        var decoder = RecordDecoder()
        decoder.append(bytes)
        var assembler = assembler()
        var actions: [RequestAssembler.Action] = []
        while let record = try decoder.next() { actions += assembler.receive(record) }
        XCTAssertEqual(actions, [.start(RequestHead(id: 1, params: ["REQUEST_URI": "/ok"], keepConnection: true)), .end])
    }

    func testKeepConnectionFlag() {
        for (flags, keep) in [(UInt8(0), false), (1, true), (3, true), (2, false), (0xFF, true)] {
            var assembler = assembler()
            _ = assembler.receive(Send.begin(1, flags: flags))
            XCTAssertEqual(assembler.receive(Send.endParams(1)),
                           [.start(RequestHead(id: 1, params: [:], keepConnection: keep))], "flags \(flags)")
        }
    }

    func testSeveralRequestsOnOneKeptConnection() {
        var assembler = assembler()
        for id: UInt16 in [1, 1, 2, 0xFFFF] {
            XCTAssertEqual(assembler.receive(Send.begin(id, flags: 1)), [])
            XCTAssertEqual(assembler.receive(Send.params(id, [("N", "\(id)")])), [])
            XCTAssertEqual(assembler.receive(Send.endParams(id)), [.start(RequestHead(id: id, params: ["N": "\(id)"], keepConnection: true))])
            XCTAssertEqual(assembler.receive(Send.endStdin(id)), [.end])
            assembler.finishRequest()
        }
    }

    func testDuplicateParamLastWins() {
        var assembler = assembler()
        _ = assembler.receive(Send.begin(1))
        _ = assembler.receive(Send.params(1, [("A", "first"), ("A", "second")]))
        XCTAssertEqual(assembler.receive(Send.endParams(1)), [.start(RequestHead(id: 1, params: ["A": "second"], keepConnection: false))])
    }

    func testPairSplitAcrossParamsRecords() {
        let bytes = NameValuePairs.encode([("HTTP_USER_AGENT", String(repeating: "m", count: 300))])
        var assembler = assembler()
        _ = assembler.receive(Send.begin(1))
        XCTAssertEqual(assembler.receive(Record(.params, requestID: 1, content: Array(bytes[..<3]))), [])
        XCTAssertEqual(assembler.receive(Record(.params, requestID: 1, content: Array(bytes[3...]))), [])
        XCTAssertEqual(assembler.receive(Send.endParams(1)), [.start(RequestHead(
            id: 1, params: ["HTTP_USER_AGENT": String(repeating: "m", count: 300)], keepConnection: false))])
    }

    func testDataRecordsAreIgnored() {
        var assembler = assembler()
        _ = assembler.receive(Send.begin(1))
        _ = assembler.receive(Send.endParams(1))
        XCTAssertEqual(assembler.receive(Record(.data, requestID: 1, content: [1, 2])), [])
        XCTAssertEqual(assembler.receive(Send.stdin(1, [7])), [.body([7])])
    }

    func testRecordsOnlyAnApplicationSendsAreIgnored() {
        var assembler = assembler()
        _ = assembler.receive(Send.begin(1))
        for type: RecordType in [.endRequest, .stdout, .stderr, .getValues, .getValuesResult, .unknownType] {
            XCTAssertEqual(assembler.receive(Record(type, requestID: 1, content: [1])), [], "\(type)")
        }
        XCTAssertEqual(assembler.receive(Send.endParams(1)), [.start(RequestHead(id: 1, params: [:], keepConnection: false))])
    }

    // MARK: Protocol violations

    func testStdinBeforeParamsEndedCloses() {
        var assembler = assembler()
        _ = assembler.receive(Send.begin(1))
        _ = assembler.receive(Send.params(1, [("A", "b")]))
        XCTAssertEqual(assembler.receive(Send.stdin(1, [1])), [.close(.unexpectedRecord("STDIN for request 1 before its params ended"))])
        XCTAssertFalse(assembler.isIdle)
        XCTAssertEqual(assembler.receive(Send.endParams(1)), [], "a closed assembler ignores everything")
        XCTAssertEqual(assembler.receive(Record(.getValues, requestID: 0)), [])
        assembler.finishRequest()
        XCTAssertFalse(assembler.isIdle)
    }

    func testParamsAfterTheyEndedCloses() {
        for stdinEnded in [false, true] {
            var assembler = assembler()
            _ = assembler.receive(Send.begin(1))
            _ = assembler.receive(Send.endParams(1))
            if stdinEnded { _ = assembler.receive(Send.endStdin(1)) }
            XCTAssertEqual(assembler.receive(Send.params(1, [("A", "b")])),
                           [.close(.unexpectedRecord("PARAMS for request 1 after its params ended"))])
        }
    }

    func testStdinAfterItEndedCloses() {
        var assembler = assembler()
        _ = assembler.receive(Send.begin(1))
        _ = assembler.receive(Send.endParams(1))
        _ = assembler.receive(Send.endStdin(1))
        XCTAssertEqual(assembler.receive(Send.stdin(1, [1])), [.close(.unexpectedRecord("STDIN for request 1 after its body ended"))])
    }

    func testShortBeginBodyCloses() {
        for length in 0..<8 {
            var assembler = assembler()
            let record = Record(.beginRequest, requestID: 1, content: Array([0, 1, 0, 0, 0, 0, 0, 0][..<length]))
            XCTAssertEqual(assembler.receive(record),
                           [.close(.malformedRecord("BEGIN_REQUEST body of \(length) bytes, expected 8"))])
        }
    }

    func testLongerBeginBodyIsAccepted() {
        var assembler = assembler()
        let record = Record(.beginRequest, requestID: 1, content: [0, 1, 1, 0, 0, 0, 0, 0, 9, 9])
        XCTAssertEqual(assembler.receive(record), [])
        XCTAssertEqual(assembler.receive(Send.endParams(1)), [.start(RequestHead(id: 1, params: [:], keepConnection: true))])
    }

    func testMalformedParamsClose() {
        var assembler = assembler()
        _ = assembler.receive(Send.begin(1))
        _ = assembler.receive(Record(.params, requestID: 1, content: [5, 1, 0x41]))
        XCTAssertEqual(assembler.receive(Send.endParams(1)), [.close(.malformedNameValuePairs)])
    }

    func testParamsBytesLimit() {
        let limits = RequestAssembler.Limits(maxParamsBytes: 20, maxParamCount: 1000)
        let tenBytes = Record(.params, requestID: 1, content: NameValuePairs.encode([("ABCD", "efgh")]))
        XCTAssertEqual(tenBytes.content.count, 10)

        var atLimit = assembler(limits)
        _ = atLimit.receive(Send.begin(1))
        XCTAssertEqual(atLimit.receive(tenBytes), [])
        XCTAssertEqual(atLimit.receive(tenBytes), [], "exactly the limit is allowed")
        XCTAssertEqual(atLimit.receive(Send.endParams(1)), [.start(RequestHead(id: 1, params: ["ABCD": "efgh"], keepConnection: false))])

        var over = assembler(limits)
        _ = over.receive(Send.begin(1, flags: 1))
        _ = over.receive(tenBytes)
        _ = over.receive(tenBytes)
        XCTAssertEqual(over.receive(Record(.params, requestID: 1, content: [0])), [], "past the limit: dropped, not kept")
        XCTAssertEqual(over.receive(tenBytes), [])
        XCTAssertEqual(over.receive(Send.endParams(1)),
                       [.refuse(RequestHead(id: 1, params: ["ABCD": "efgh"], keepConnection: true), .headersTooLarge)],
                       "refused with what was kept, for the log")
        assertRefusedRequestEndsAndTheNextIsServed(&over)
    }

    /// After a refused head the body still belongs to the request (dropped by the connection), and
    /// once it is answered the connection takes the next request.
    private func assertRefusedRequestEndsAndTheNextIsServed(_ assembler: inout RequestAssembler, line: UInt = #line) {
        XCTAssertEqual(assembler.receive(Send.stdin(1, [1, 2])), [.body([1, 2])], line: line)
        XCTAssertEqual(assembler.receive(Send.endStdin(1)), [.end], line: line)
        assembler.finishRequest()
        XCTAssertTrue(assembler.isIdle, line: line)
        _ = assembler.receive(Send.begin(2))
        _ = assembler.receive(Send.params(2, [("A", "1")]))
        XCTAssertEqual(assembler.receive(Send.endParams(2)), [.start(RequestHead(id: 2, params: ["A": "1"], keepConnection: false))],
                       line: line)
    }

    func testParamsBytesLimitIsPerRequest() {
        let limits = RequestAssembler.Limits(maxParamsBytes: 10, maxParamCount: 1000)
        let tenBytes = Record(.params, requestID: 1, content: NameValuePairs.encode([("ABCD", "efgh")]))
        var assembler = assembler(limits)
        for _ in 0..<3 {
            _ = assembler.receive(Send.begin(1))
            XCTAssertEqual(assembler.receive(tenBytes), [])
            XCTAssertEqual(assembler.receive(Send.endParams(1)).count, 1)
            _ = assembler.receive(Send.endStdin(1))
            assembler.finishRequest()
        }
    }

    func testParamCountLimit() {
        let limits = RequestAssembler.Limits(maxParamsBytes: 1 << 20, maxParamCount: 3)
        var atLimit = assembler(limits)
        _ = atLimit.receive(Send.begin(1))
        _ = atLimit.receive(Send.params(1, [("A", ""), ("B", ""), ("C", "")]))
        XCTAssertEqual(atLimit.receive(Send.endParams(1)),
                       [.start(RequestHead(id: 1, params: ["A": "", "B": "", "C": ""], keepConnection: false))])

        var over = assembler(limits)
        _ = over.receive(Send.begin(1, flags: 1))
        _ = over.receive(Send.params(1, [("A", ""), ("B", ""), ("C", ""), ("D", "")]))
        XCTAssertEqual(over.receive(Send.endParams(1)),
                       [.refuse(RequestHead(id: 1, params: ["A": "", "B": "", "C": ""], keepConnection: true), .headersTooLarge)],
                       "refused, with the pairs within the limit for the log")
        assertRefusedRequestEndsAndTheNextIsServed(&over)
    }

    func testTooManyPairsFollowedByMalformedBytesAreRefusedNotClosed() {
        var assembler = assembler(RequestAssembler.Limits(maxParamsBytes: 1 << 20, maxParamCount: 1))
        _ = assembler.receive(Send.begin(1))
        _ = assembler.receive(Record(.params, requestID: 1, content: NameValuePairs.encode([("A", "1"), ("B", "2")]) + [5, 1]))
        XCTAssertEqual(assembler.receive(Send.endParams(1)),
                       [.refuse(RequestHead(id: 1, params: ["A": "1"], keepConnection: false), .headersTooLarge)])
    }

    func testDefaultLimits() {
        let limits = RequestAssembler.Limits()
        XCTAssertEqual(limits.maxParamsBytes, 1 << 20)
        XCTAssertEqual(limits.maxParamCount, 1000)
    }
}
