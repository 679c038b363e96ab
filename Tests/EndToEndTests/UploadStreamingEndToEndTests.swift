#if canImport(Glibc)
import Glibc
#endif
import Foundation
import PsyxTestSupport
import XCTest

/// Pack uploads are not buffered by Nginx (`fastcgi_request_buffering off` on the
/// create route): the responder receives the body while the client sends it. A body
/// of unknown length (chunked) must still be stored whole, and one cut off mid-way
/// must leave nothing.
final class UploadStreamingEndToEndTests: EndToEndTestCase {
    /// 20 pairs of 60 KB images: a 2.4 MB body, sent in many records.
    static let pairs = 20

    static func fixture(_ name: String, image: [UInt8]) -> PackFixture {
        var fixture = PackFixture(name: name, pairs: pairs)
        fixture.imageBytes = { _, _ in image }
        return fixture
    }

    func testAChunkedUploadIsStoredWhole() throws {
        let stack = try startStack(environment: ["PSYX_PACK_SIZE": "\(Self.pairs)"])
        let client = ExperimentClient(stack: stack)
        let image = try ReliabilityProbe.bulkyJPEG(60_000)
        let fixture = Self.fixture("chunked", image: image)
        let body = fixture.body()
        // curl sends the body in chunks and no Content-Length; Nginx passes it on as it
        // comes, with an empty CONTENT_LENGTH.
        let response = try stack.http.request("POST", "/api/admin/create", credentials: TestStack.developmentAccount,
                                              headers: ["Content-Type: \(body.contentType)", "Transfer-Encoding: chunked"],
                                              body: body.bytes)
        XCTAssertEqual(response.text, "Pack 1 Added.")
        let stored = stack.dataDirectory.appendingPathComponent("packs/chunked")
        for name in fixture.fileNames {
            let data = try Data(contentsOf: stored.appendingPathComponent(name))
            XCTAssertEqual(Array(data), image, "\(name) not stored whole")
        }
        XCTAssertEqual(try client.list().count, 1)
    }

    func testAnUploadCutOffMidBodyReachesTheResponderAndLeavesNothing() throws {
        let stack = try startStack(environment: ["PSYX_PACK_SIZE": "\(Self.pairs)"])
        let multipart = Self.fixture("cutoff", image: try ReliabilityProbe.bulkyJPEG(60_000)).body()
        let body = multipart.bytes
        let http = ReliabilityHTTP(port: stack.port, credentials: TestStack.developmentAccount)
        let fd = try http.connect()
        try ReliabilityHTTP.send(fd, http.head("POST", "/api/admin/create", headers: ["Content-Type: \(multipart.contentType)"],
                                               contentLength: body.count))
        try ReliabilityHTTP.send(fd, body[0..<(body.count / 2)])
        // Unbuffered, the first half is already in the responder's staging folder.
        XCTAssertTrue(Wait.until(timeout: 10) { !ReliabilityProbe.entries(stack, "staging").isEmpty },
                      "the upload did not reach the responder while it was being sent")
        close(fd)
        XCTAssertTrue(Wait.until(timeout: 20) { ReliabilityProbe.entries(stack, "staging").isEmpty },
                      "staging left behind: \(ReliabilityProbe.entries(stack, "staging"))")
        XCTAssertFalse(FileManager.default.fileExists(atPath: stack.dataDirectory.appendingPathComponent("packs/cutoff").path))
        // The same upload, whole, then succeeds.
        XCTAssertEqual(try ExperimentClient(stack: stack).upload(multipart).text, "Pack 1 Added.")
    }
}
