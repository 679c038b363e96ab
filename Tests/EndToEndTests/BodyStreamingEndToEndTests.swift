import Foundation
import XCTest

/// A large body goes Nginx → responder without the responder holding it in memory.
final class BodyStreamingEndToEndTests: EndToEndTestCase {
    static let bodySize = 100 * 1024 * 1024
    static let memoryLimit = 64 * 1024 * 1024

    func testHundredMegabyteBodyStreamsThroughWithBoundedMemory() throws {
        let stack = try startStack()
        let file = stack.directory.appendingPathComponent("body.bin")
        try Self.writeFile(file, size: Self.bodySize)

        // The whole body reaches the responder before it answers (a body shorter
        // than its Content-Length would be a 400): 405 says it was received, counted
        // and the request routed. The method is wrong on purpose, so no handler
        // keeps anything.
        let response = try stack.http.request("POST", "/api/health",
                                              headers: ["Content-Type: application/octet-stream"], bodyFile: file)
        XCTAssertEqual(response.status, 405, response.text)
        XCTAssertFalse(response.text.contains("<center>nginx</center>"), "the answer must come from the responder")

        let peak = try ProcessTable.memory("VmHWM", of: stack.psyxPID)
        XCTAssertLessThan(peak, Self.memoryLimit,
                          "psyx peaked at \(peak / 1_048_576) MB resident for a \(Self.bodySize / 1_048_576) MB body")

        // The spooled copy of the body is gone once the request is answered.
        let spool = stack.dataDirectory.appendingPathComponent("spool")
        let left = (try? FileManager.default.contentsOfDirectory(atPath: spool.path)) ?? []
        XCTAssertEqual(left, [], "spool files left behind")

        // And the connection is still good for the next request.
        XCTAssertEqual(try stack.http.request("GET", "/api/health").status, 200)
    }

    /// `size` bytes of a repeating pattern, written a megabyte at a time.
    static func writeFile(_ url: URL, size: Int) throws {
        let handle = try Command.openForWriting(url)
        defer { try? handle.close() }
        let chunk = Data((0..<(1024 * 1024)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) })
        var written = 0
        while written < size {
            let count = min(chunk.count, size - written)
            try handle.write(contentsOf: chunk.prefix(count))
            written += count
        }
    }
}
