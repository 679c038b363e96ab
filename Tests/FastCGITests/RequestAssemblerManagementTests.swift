import XCTest
@testable import FastCGI

/// The records the assembler answers on its own: management records, refused
/// requests, aborts, and records for requests that are not active.
final class RequestAssemblerManagementTests: XCTestCase {
    private func assembler() -> RequestAssembler {
        RequestAssembler(serverValues: ["FCGI_MAX_CONNS": "256", "FCGI_MAX_REQS": "256", "FCGI_MPXS_CONNS": "0"])
    }

    /// An assembler with request `id` in the given phase (0 params, 1 body, 2 responding).
    private func active(_ id: UInt16, phase: Int) -> RequestAssembler {
        var assembler = assembler()
        _ = assembler.receive(Send.begin(id))
        if phase >= 1 { _ = assembler.receive(Send.endParams(id)) }
        if phase >= 2 { _ = assembler.receive(Send.endStdin(id)) }
        return assembler
    }

    func testGetValuesAnswersOnlyKnownNamesExactly() {
        var assembler = assembler()
        let query = NameValuePairs.encode([("FCGI_MPXS_CONNS", ""), ("FCGI_UNKNOWN", ""), ("FCGI_MAX_CONNS", "")])
        let content: [UInt8] = [15, 1] + Array("FCGI_MPXS_CONNS0".utf8) + [14, 3] + Array("FCGI_MAX_CONNS256".utf8)
        XCTAssertEqual(content.count, 37)
        let expected = TestBytes.header(type: 10, id: 0, contentLength: 37, padding: 3) + content + [0, 0, 0]
        XCTAssertEqual(assembler.receive(Record(.getValues, requestID: 0, content: query)), [.write(expected)])
        XCTAssertTrue(assembler.isIdle)
    }

    func testGetValuesWithNothingKnownIsAnEmptyResult() {
        var assembler = assembler()
        let query = Record(.getValues, requestID: 0, content: NameValuePairs.encode([("OTHER", "")]))
        XCTAssertEqual(assembler.receive(query), [.write([1, 10, 0, 0, 0, 0, 0, 0])])
        XCTAssertEqual(assembler.receive(Record(.getValues, requestID: 0)), [.write([1, 10, 0, 0, 0, 0, 0, 0])])
    }

    func testGetValuesAnswersARepeatedNameOnce() {
        var assembler = assembler()
        let query = Record(.getValues, requestID: 0, content: NameValuePairs.encode([("FCGI_MAX_REQS", ""), ("FCGI_MAX_REQS", "")]))
        let content = NameValuePairs.encode([("FCGI_MAX_REQS", "256")])
        XCTAssertEqual(assembler.receive(query), [.write(TestBytes.encode(Record(.getValuesResult, requestID: 0, content: content)))])
    }

    func testGetValuesDuringARequestDoesNotDisturbIt() {
        var assembler = active(1, phase: 1)
        let query = Record(.getValues, requestID: 0, content: NameValuePairs.encode([("FCGI_MAX_REQS", "")]))
        XCTAssertEqual(assembler.receive(query).count, 1)
        XCTAssertEqual(assembler.receive(Send.stdin(1, [1])), [.body([1])])
    }

    func testMalformedGetValuesCloses() {
        var assembler = assembler()
        XCTAssertEqual(assembler.receive(Record(.getValues, requestID: 0, content: [3, 0, 0x41])), [.close(.malformedNameValuePairs)])
    }

    func testOtherManagementTypesGetUnknownType() {
        for type: UInt8 in [1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 99, 255] {
            var assembler = assembler()
            XCTAssertEqual(assembler.receive(Record(type: type, requestID: 0, content: [1, 2, 3])),
                           [.write([1, 11, 0, 0, 0, 8, 0, 0, type, 0, 0, 0, 0, 0, 0, 0])], "type \(type)")
            XCTAssertTrue(assembler.isIdle)
        }
    }

    func testUnknownTypeWithARequestIDGetsUnknownType() {
        var assembler = active(1, phase: 1)
        XCTAssertEqual(assembler.receive(Record(type: 42, requestID: 1)), [.write([1, 11, 0, 0, 0, 8, 0, 0, 42, 0, 0, 0, 0, 0, 0, 0])])
        XCTAssertEqual(assembler.receive(Record(type: 12, requestID: 9)), [.write([1, 11, 0, 0, 0, 8, 0, 0, 12, 0, 0, 0, 0, 0, 0, 0])])
        XCTAssertEqual(assembler.receive(Send.endStdin(1)), [.end], "the request goes on")
    }

    func testSecondRequestIsRefusedWithCantMultiplexInEveryPhase() {
        for phase in 0...2 {
            var assembler = active(1, phase: phase)
            XCTAssertEqual(assembler.receive(Send.begin(2, flags: 1)), [.write(Send.endRequestBytes(2, protocolStatus: 1))], "phase \(phase)")
            XCTAssertEqual(assembler.activeRequestID, 1)
            XCTAssertEqual(assembler.receive(Send.params(2, [("A", "b")])), [], "records of the refused request are ignored")
            XCTAssertEqual(assembler.receive(Send.endStdin(2)), [])
        }
    }

    func testBeginForTheActiveIDCloses() {
        for phase in 0...2 {
            var assembler = active(7, phase: phase)
            XCTAssertEqual(assembler.receive(Send.begin(7)),
                           [.close(.unexpectedRecord("BEGIN_REQUEST for request 7, which is already active"))], "phase \(phase)")
        }
    }

    func testOtherRolesAreRefusedWithUnknownRole() {
        for role: UInt16 in [0, 2, 3, 4, 0x0101, 0xFFFF] {
            var assembler = assembler()
            XCTAssertEqual(assembler.receive(Send.begin(0x0203, role: role, flags: 1)),
                           [.write(Send.endRequestBytes(0x0203, protocolStatus: 3))], "role \(role)")
            XCTAssertTrue(assembler.isIdle)
            XCTAssertEqual(assembler.receive(Send.endParams(0x0203)), [], "its params are ignored")
            XCTAssertEqual(assembler.receive(Send.begin(1)), [], "the next request is taken")
            XCTAssertEqual(assembler.activeRequestID, 1)
        }
    }

    func testAbortInEveryPhaseEndsTheRequest() {
        for phase in 0...2 {
            var assembler = active(3, phase: phase)
            XCTAssertEqual(assembler.receive(Send.abort(3)),
                           [.write(Send.endRequestBytes(3, protocolStatus: 0)), .abort(requestID: 3, keepConnection: false)], "phase \(phase)")
            XCTAssertTrue(assembler.isIdle)
            XCTAssertEqual(assembler.receive(Send.stdin(3, [1])), [], "later records of the aborted request are ignored")
            XCTAssertEqual(assembler.receive(Send.begin(3)), [], "the id can be reused")
        }
    }

    func testAbortOfAnotherRequestIsIgnored() {
        var idle = assembler()
        XCTAssertEqual(idle.receive(Send.abort(1)), [])
        XCTAssertTrue(idle.isIdle)

        var busy = active(1, phase: 1)
        XCTAssertEqual(busy.receive(Send.abort(2)), [])
        XCTAssertEqual(busy.receive(Send.stdin(1, [5])), [.body([5])])
    }

    func testRecordsForInactiveIDsAreIgnored() {
        var idle = assembler()
        XCTAssertEqual(idle.receive(Send.params(1, [("A", "b")])), [])
        XCTAssertEqual(idle.receive(Send.endParams(1)), [])
        XCTAssertEqual(idle.receive(Send.stdin(1, [1])), [])
        XCTAssertEqual(idle.receive(Send.endStdin(1)), [])
        XCTAssertTrue(idle.isIdle)

        for phase in 0...2 {
            var busy = active(1, phase: phase)
            XCTAssertEqual(busy.receive(Send.params(2, [("A", "b")])), [], "phase \(phase)")
            XCTAssertEqual(busy.receive(Send.endParams(2)), [])
            XCTAssertEqual(busy.receive(Send.stdin(2, [1])), [])
            XCTAssertEqual(busy.receive(Send.endStdin(2)), [])
            XCTAssertEqual(busy.activeRequestID, 1)
        }
    }

    func testRequestStartsAfterIgnoredNoise() {
        var assembler = active(1, phase: 0)
        _ = assembler.receive(Send.params(2, [("X", "y")]))
        _ = assembler.receive(Send.params(1, [("A", "b")]))
        XCTAssertEqual(assembler.receive(Send.endParams(1)), [.start(RequestHead(id: 1, params: ["A": "b"], keepConnection: false))])
    }
}
