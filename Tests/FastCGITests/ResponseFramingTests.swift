import XCTest
@testable import FastCGI

/// Answers of every size around the one-record limit come back whole and correctly framed,
/// whether they leave as one record or as several, gathered around the body where it lies (writev).
final class ResponseFramingTests: XCTestCase {
    /// Answers `/size/N` with N pattern bytes.
    private struct SizedResponder: Responder {
        func respond(to request: Request) -> Response {
            let size = Int(request[param: "REQUEST_URI"]?.split(separator: "/").last ?? "") ?? 0
            return Response(status: 200, headers: [("Content-Type", "application/octet-stream")], body: .bytes(Pattern.bytes(size)))
        }

        func reject(_ request: Request, because reason: Rejection) -> Response {
            DefaultRejections().reject(request, because: reason)
        }
    }

    func testBodiesAroundTheOneRecordLimitArriveWholeAndCleanlyEnded() throws {
        let harness = try SocketPairHarness(responder: SizedResponder())
        defer { harness.tearDown() }
        let client = try harness.connect()
        let head = "Status: 200 OK\r\nContent-Type: application/octet-stream\r\n\r\n".utf8.count
        let limit = Record.maxContentLength - head
        // 20 MB: more records than one `writev` takes (512 pieces per call).
        let sizes = [0, 1, 7, 8, 9, 4096, limit - 1, limit, limit + 1, Record.maxContentLength, 200_000, 20_000_000]
        for (index, size) in sizes.enumerated() {
            let id = UInt16(index + 1)
            try client.send(Wire.request(id, keep: true, method: "GET", uri: "/size/\(size)"))
            let response = try client.readResponse(id: id)
            XCTAssertEqual(response.status, 200, "size \(size)")
            XCTAssertEqual(response.body, Pattern.bytes(size), "size \(size)")
            XCTAssertTrue(response.isCleanlyEnded, "size \(size)")
            XCTAssertEqual(response.stdoutRecords.filter { !$0.content.isEmpty }.count, size <= limit ? 1 : 1 + (size + 65534) / 65535,
                           "size \(size): one record when it fits, else the head's record and full body records")
            XCTAssertLessThanOrEqual(response.stdoutRecords.map(\.content.count).max() ?? 0, Record.maxContentLength)
        }
    }
}
