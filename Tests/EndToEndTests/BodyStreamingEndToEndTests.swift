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

        // The upload is the one route that takes a body this large. Sent as something other than
        // multipart it gets no body receiver, so psyx spools the whole body before the handler
        // refuses it ("Nothing Uploaded"): it was received, counted and routed, and no handler
        // keeps anything.
        let response = try stack.http.request("POST", "/api/admin/create", credentials: TestStack.developmentAccount,
                                              headers: ["Content-Type: application/octet-stream"], bodyFile: file)
        XCTAssertEqual(response.status, 400, response.text)
        XCTAssertEqual(ExperimentClient.sentence(response), "Nothing Uploaded", "the answer must come from the responder")

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

    /// A pack upload whose one image is 100 MB: the multipart parser streams it
    /// to the staging folder, the folder check refuses it, and nothing is left.
    func testHundredMegabyteUploadStreamsToStagingWithBoundedMemory() throws {
        let stack = try startStack()
        let boundary = "psyx-e2e-boundary-7f3a"
        let file = stack.directory.appendingPathComponent("upload.multipart")
        var head = ""
        for (name, value) in [("pack_name", "bigone"), ("sex", "1"), ("age_min", "20"), ("age_max", "29")] {
            head += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n"
        }
        head += "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big/x_00001_ori.jpg\"\r\n"
        head += "Content-Type: image/jpeg\r\n\r\n"
        try Self.writeFile(file, size: Self.bodySize,
                           prefix: Array(head.utf8) + [0xFF, 0xD8, 0xFF, 0xE0],
                           suffix: Array("\r\n--\(boundary)--\r\n".utf8))

        let response = try stack.http.request("POST", "/api/admin/create", credentials: TestStack.developmentAccount,
                                              headers: ["Content-Type: multipart/form-data; boundary=\(boundary)"],
                                              bodyFile: file)
        XCTAssertEqual(response.status, 400, response.text)
        XCTAssertTrue(response.text.contains("Invalid Folder Size"), response.text)

        let peak = try ProcessTable.memory("VmHWM", of: stack.psyxPID)
        XCTAssertLessThan(peak, Self.memoryLimit,
                          "psyx peaked at \(peak / 1_048_576) MB resident for a \(Self.bodySize / 1_048_576) MB upload")

        for folder in ["staging", "spool"] {
            let path = stack.dataDirectory.appendingPathComponent(folder).path
            XCTAssertEqual((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [], [], "\(folder) not emptied")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: stack.dataDirectory.appendingPathComponent("packs/bigone").path))
        let list = try stack.http.request("GET", "/api/admin/list", credentials: TestStack.developmentAccount)
        XCTAssertEqual(list.text.trimmingCharacters(in: .whitespacesAndNewlines), "[]")
    }

    /// `prefix`, then `size` bytes of a repeating pattern written a megabyte at a
    /// time, then `suffix`.
    static func writeFile(_ url: URL, size: Int, prefix: [UInt8] = [], suffix: [UInt8] = []) throws {
        let handle = try Command.openForWriting(url)
        defer { try? handle.close() }
        try handle.write(contentsOf: Data(prefix))
        let chunk = Data((0..<(1024 * 1024)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) })
        var written = 0
        while written < size {
            let count = min(chunk.count, size - written)
            try handle.write(contentsOf: chunk.prefix(count))
            written += count
        }
        try handle.write(contentsOf: Data(suffix))
    }
}
