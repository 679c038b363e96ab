import Foundation
import PsyxTestSupport
import XCTest

/// The original service's documented client still works (spec §3): Python
/// `requests.get(base + "/api/admin/download?id=N", auth=(user, password))`, then
/// `pack = r.json()` and `reply['name'], reply['age'], reply['date']` for each of
/// `pack['replies']` (Tests/EndToEndTests/python/download_replies.py).
final class ExperimentPythonClientEndToEndTests: EndToEndTestCase {
    func testRequestsDownloadReadsRepliesByName() throws {
        // Three pairs per pack keep this test about the client, not about uploads.
        let stack = try startStack(environment: ["PSYX_PACK_SIZE": "3"])
        let client = ExperimentClient(stack: stack)
        var fixture = PackFixture(name: "female20s", pairs: 3)
        fixture.sex = "2"
        XCTAssertEqual(try client.upload(fixture.body()).text, "Pack 1 Added.")

        var korean = ParticipantFixture(no: "2020000001", age: 25)
        korean.name = "홍길동"
        var english = ParticipantFixture(no: "A1234567", age: 29)
        english.name = "Anne-Marie O'Brien"
        english.phone = "+1 (415) 555-0100"
        for participant in [korean, english] {
            let pairs = try client.start(participant).pairs
            XCTAssertEqual(try client.post("/api/reply/submit", json: participant.submit(packID: 1, pairs: pairs)).text,
                           "Reply Submitted.")
        }

        let result = try runClient(stack, packID: "1", password: TestStack.developmentAccount.password)
        XCTAssertEqual(result.status, 0, result.standardError)
        let lines = result.output.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.first, "pack female20s 2")
        let replies = lines.dropFirst().map { $0.components(separatedBy: "\t") }
        XCTAssertEqual(replies.map { $0.prefix(2) }, [["홍길동", "25"], ["Anne-Marie O'Brien", "29"]])
        for reply in replies {
            XCTAssertEqual(reply.count, 3)
            XCTAssertNotNil(reply.last?.range(of: #"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$"#, options: .regularExpression),
                            "date not ISO 8601 UTC: \(reply)")
        }

        // The same script against the wrong password fails loudly, as requests reports a 401.
        let refused = try runClient(stack, packID: "1", password: "wrong")
        XCTAssertNotEqual(refused.status, 0)
        XCTAssertTrue(refused.standardError.contains("401"), refused.standardError)
    }

    /// Runs the script with the stack's base URL; proxies from the environment are
    /// dropped so `requests` talks to 127.0.0.1 directly, output is UTF-8.
    private func runClient(_ stack: TestStack, packID: String, password: String) throws -> Command.Result {
        let script = RepositoryLayout.root.appendingPathComponent("Tests/EndToEndTests/python/download_replies.py")
        let result = try Command.run("python3", [script.path, stack.http.baseURL, packID, TestStack.developmentAccount.user, password],
                                     environment: Self.pythonEnvironment, scratch: stack.directory)
        if result.standardError.contains("No module named 'requests'") {
            throw StackError("""
                Python's requests module is missing (the original client uses it): \
                install it with `apt-get install -y python3-requests`.
                """)
        }
        return result
    }

    private static var pythonEnvironment: [String: String] {
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.lowercased().hasSuffix("_proxy") }
        environment["PYTHONIOENCODING"] = "utf-8"
        environment["NO_PROXY"] = "*"
        return environment
    }
}
