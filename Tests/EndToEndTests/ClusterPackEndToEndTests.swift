#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Psyx
import PsyxTestSupport
import XCTest

/// Issue 19 item 1 on a real cluster (`nginx/dev cluster up`: three responders, each with its own
/// data directory, on a replicated PostgreSQL): a pack uploaded through Nginx is served by every
/// node — its images (each node copies the pack from the database when first asked), the start
/// answer and the CI — and its removal takes every node's copy away. Each node is asked on its own
/// socket, as Nginx's fallback (`@psyx_pack`) would ask it.
final class ClusterPackEndToEndTests: EndToEndTestCase {
    static let pairs = 6

    func testAPackUploadedThroughNginxIsServedByEveryNodeAndLeavesEveryNodeWhenRemoved() throws {
        let cluster = try startCluster(environment: ["PSYX_PACK_SIZE": String(Self.pairs)])
        let fixture = Self.fixture("faces")
        let id = try upload(fixture, to: cluster)
        let expected = Self.files(fixture)
        let uploader = (1...3).filter { exists(cluster, $0, "faces") }
        XCTAssertEqual(uploader.count, 1, "the pack's folder is on the node that took the upload only")

        // Three participants through Nginx (whichever node answers), for the CI.
        let http = ReliabilityHTTP(port: cluster.port)
        for index in 1...3 {
            let participant = ParticipantFixture(no: "P\(index)", sex: 2, age: 25)
            let started = try http.post("/api/reply/start", json: participant.details)
            let pairs = try XCTUnwrap((started.json as? [String: Any])?["pic_pairs"] as? [[String]], started.text)
            XCTAssertEqual(try http.post("/api/reply/submit", json: participant.submit(packID: id, pairs: pairs)).status, 200)
        }

        for node in 1...3 {
            let client = FastCGIClient(socketPath: cluster.nodeSocket(node))
            let hadCopy = exists(cluster, node, "faces")
            // The CI on a node without a copy fills it first.
            let ci = try client.request(Self.params("GET", "/api/admin/ci", query: "id=\(id)", user: "admin"))
            XCTAssertEqual(ci.status, 200, "node \(node) CI: \(ci.text.prefix(300))")
            XCTAssertEqual(ci.headers.first { $0.name == "content-type" }?.value, "image/png")
            XCTAssertTrue(exists(cluster, node, "faces"), "node \(node) (copy before: \(hadCopy)) has the pack after its CI")
            XCTAssertEqual(try folderFiles(cluster, node, "faces"), expected, "node \(node)'s copy")

            let start = try client.request(Self.params("POST", "/api/reply/start", contentType: "application/json"),
                                           body: Self.json(ParticipantFixture(no: "S\(node)", sex: 2, age: 25).details))
            XCTAssertEqual(start.status, 200, "node \(node) start: \(start.text.prefix(300))")
            XCTAssertEqual(Self.object(start.body)?["p_id"] as? Int, id)
            XCTAssertEqual((Self.object(start.body)?["pic_pairs"] as? [[String]])?.count, Self.pairs)
        }

        // A node with no copy answers the image Nginx could not find (its fallback) from the database.
        try removeCopy(cluster, 2, "faces")
        let image = PackFixture.fileName(3, "inv")
        let answered = try FastCGIClient(socketPath: cluster.nodeSocket(2)).request(Self.params("GET", "/packs/faces/" + image))
        XCTAssertEqual(answered.status, 200, answered.text.prefix(300).description)
        XCTAssertEqual(answered.body, expected[image])
        XCTAssertTrue(exists(cluster, 2, "faces"))
        XCTAssertEqual(try FastCGIClient(socketPath: cluster.nodeSocket(2)).request(Self.params("GET", "/packs/faces/nothing.jpg")).status, 404)
        XCTAssertEqual(try FastCGIClient(socketPath: cluster.nodeSocket(2)).request(Self.params("GET", "/packs/other/" + image)).status, 404)
        // Through Nginx: from node 1's folder, or through the fallback when node 1 has none.
        try removeCopy(cluster, 1, "faces")
        let viaNginx = try cluster.http.request("GET", "/packs/faces/" + image)
        XCTAssertEqual(viaNginx.status, 200)
        XCTAssertEqual(viaNginx.body, expected[image])

        // Removed through Nginx: every node's copy goes within a bounded wait.
        let removed = try cluster.http.request("POST", "/api/admin/remove?id=\(id)", credentials: TestStack.developmentAccount)
        XCTAssertEqual(removed.text, "Pack \(id) Deleted.")
        XCTAssertTrue(Wait.until(timeout: 10) { (1...3).allSatisfy { !exists(cluster, $0, "faces") } },
                      "copies left: \((1...3).filter { exists(cluster, $0, "faces") })")
        XCTAssertEqual(try cluster.http.request("GET", "/packs/faces/" + image).status, 404)

        // A node started on an empty data directory serves a pack it never saw.
        let second = Self.fixture("later")
        let secondID = try upload(second, to: cluster)
        try cluster.killNode(3)
        try FileManager.default.removeItem(at: cluster.nodeDataDirectory(3))
        try cluster.restartNode(3)
        let fresh = FastCGIClient(socketPath: cluster.nodeSocket(3))
        var served: FastCGIClient.Reply?
        XCTAssertTrue(Wait.until(timeout: 30) {
            served = try? fresh.request(Self.params("GET", "/packs/later/" + image))
            return served != nil
        }, "node 3 did not serve within 30 s of its restart")
        XCTAssertEqual(served?.status, 200)
        XCTAssertEqual(served?.body, Self.files(second)[image])
        XCTAssertEqual(try folderFiles(cluster, 3, "later"), Self.files(second))
        let start = try fresh.request(Self.params("POST", "/api/reply/start", contentType: "application/json"),
                                      body: Self.json(ParticipantFixture(no: "F1", sex: 2, age: 25).details))
        XCTAssertEqual(start.status, 200, start.text)
        XCTAssertEqual((Self.object(start.body)?["p_id"] as? Int), secondID)

        // Node 3 down while a pack is removed (another remains: with none left, start-up would take
        // the database for the wrong one and refuse): started again, it drops its copy (its record
        // says it was one) instead of quarantining it.
        var third = Self.fixture("third")
        third.ageMin = "40"
        third.ageMax = "49"
        _ = try upload(third, to: cluster)
        try cluster.killNode(3)
        let gone = try cluster.http.request("POST", "/api/admin/remove?id=\(secondID)", credentials: TestStack.developmentAccount)
        XCTAssertEqual(gone.text, "Pack \(secondID) Deleted.")
        XCTAssertTrue(exists(cluster, 3, "later"))
        try cluster.restartNode(3)
        XCTAssertTrue(Wait.until(timeout: 30) {
            (try? fresh.request(Self.params("GET", "/api/health")))?.status == 200
        }, "node 3 did not start again")
        XCTAssertFalse(exists(cluster, 3, "later"))
        let quarantine = cluster.nodeDataDirectory(3).appendingPathComponent("quarantine").path
        XCTAssertEqual((try? FileManager.default.contentsOfDirectory(atPath: quarantine)) ?? [], [], "deleted, not quarantined")
    }

    // MARK: - Helpers

    static func fixture(_ name: String) -> PackFixture {
        PackFixture(name: name, synthetic: SyntheticPack(width: 24, height: 24, pairs: pairs, basisCount: 6, seed: UInt64(name.count)))
    }

    /// The files the pack's folder holds: the pair images by name.
    static func files(_ fixture: PackFixture) -> [String: [UInt8]] {
        var out: [String: [UInt8]] = [:]
        for number in 1...fixture.pairs {
            for side in ["ori", "inv"] { out[PackFixture.fileName(number, side)] = fixture.imageBytes(number, side) }
        }
        return out
    }

    private func upload(_ fixture: PackFixture, to cluster: ClusterStack) throws -> Int {
        let body = fixture.body()
        let created = try cluster.http.request("POST", "/api/admin/create", credentials: TestStack.developmentAccount,
                                               headers: ["Content-Type: \(body.contentType)"], body: body.bytes)
        guard created.status == 200, created.text.hasPrefix("Pack "), created.text.hasSuffix(" Added."),
              let id = Int(created.text.dropFirst(5).dropLast(7)) else {
            throw StackError("the pack upload answered \(created.status): \(created.text.prefix(300))")
        }
        return id
    }

    private func folder(_ cluster: ClusterStack, _ node: Int, _ pack: String) -> String {
        cluster.nodeDataDirectory(node).appendingPathComponent("packs/" + pack).path
    }

    private func exists(_ cluster: ClusterStack, _ node: Int, _ pack: String) -> Bool {
        FileManager.default.fileExists(atPath: folder(cluster, node, pack))
    }

    private func folderFiles(_ cluster: ClusterStack, _ node: Int, _ pack: String) throws -> [String: [UInt8]] {
        let path = folder(cluster, node, pack)
        var out: [String: [UInt8]] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: path) {
            out[name] = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path + "/" + name)))
        }
        return out
    }

    /// As if the node had never had the pack (a new machine): its copy taken away behind its back.
    private func removeCopy(_ cluster: ClusterStack, _ node: Int, _ pack: String) throws {
        try FileManager.default.removeItem(atPath: folder(cluster, node, pack))
    }

    static func json(_ object: Any) -> [UInt8] {
        Array((try? JSONSerialization.data(withJSONObject: object)) ?? Data())
    }

    static func object(_ bytes: [UInt8]) -> [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any]
    }

    /// What Nginx sends a responder for a request (a body of `length` bytes).
    static func params(_ method: String, _ path: String, query: String = "", user: String = "",
                       contentType: String = "", length: Int? = nil) -> [(name: String, value: String)] {
        [(name: "CONTENT_LENGTH", value: length.map(String.init) ?? ""), (name: "REQUEST_METHOD", value: method), (name: "REQUEST_URI", value: query.isEmpty ? path : path + "?" + query),
         (name: "DOCUMENT_URI", value: path), (name: "SCRIPT_NAME", value: path),
         (name: "QUERY_STRING", value: query), (name: "CONTENT_TYPE", value: contentType),
         (name: "SERVER_PROTOCOL", value: "HTTP/1.1"), (name: "REMOTE_USER", value: user),
         (name: "REMOTE_ADDR", value: "127.0.0.1"), (name: "HTTP_HOST", value: "127.0.0.1")]
    }
}
