#if canImport(Glibc)
import Glibc
#endif
import Foundation
import PsyxTestSupport
import XCTest

/// What psyx leaves on disk and sends back (issue 6): no personal data in its
/// log after a full flow with refusals, no world-readable database or pack
/// file, nosniff on every answer and a restrictive Content-Security-Policy on
/// the pages.
final class SecurityPrivacyEndToEndTests: EndToEndTestCase {
    func testLogHoldsNoPersonalDataAndFilesAreNotWorldReadable() throws {
        let stack = try startStack(environment: ["PSYX_PACK_SIZE": "3"])
        let client = ExperimentClient(stack: stack)
        XCTAssertEqual(try client.upload(PackFixture(name: "privacy", pairs: 3).body()).status, 200)

        var person = ParticipantFixture(no: "PRIV7319", sex: 2, age: 25)
        person.name = "김비밀"
        person.email = "secret.person@example.org"
        person.phone = "010-9876-5432"
        let started = try client.start(person)
        var submit = person.submit(packID: started.packID, pairs: started.pairs, submissionID: "privacy-0001")
        submit["answers"] = started.pairs.enumerated().map { [["F", "J", " "][$0.offset % 3], 0.731942 + Double($0.offset), $0.element[0], $0.element[1]] }
        XCTAssertEqual(try client.post("/api/reply/submit", json: submit).status, 200)

        // Refusals that quote what the participant typed.
        var refusals: [[String: Any]] = []
        for (field, value) in [("name", "김비밀 x1"), ("email", "secret.person@@example.org"), ("phone", "010-9876-5432-99999"),
                               ("no", "PRIV7319-")] {
            var details = person.details
            details[field] = value
            refusals.append(details)
        }
        for details in refusals {
            XCTAssertEqual(try client.post("/api/reply/start", json: details).status, 400, "\(details)")
        }
        XCTAssertEqual(ExperimentClient.sentence(try client.post("/api/reply/start", json: person.details)), "Already Participated")
        var late = submit
        late["submission_id"] = "privacy-0002"
        XCTAssertEqual(try client.post("/api/reply/submit", json: late).status, 400)
        XCTAssertEqual(try client.admin("GET", "/api/admin/download?id=\(started.packID)").status, 200)
        XCTAssertEqual(try client.admin("GET", "/api/admin/download?id=\(started.packID)&format=csv").status, 200)

        let logs = [stack.dataDirectory.appendingPathComponent("logs/api.log"), stack.runDirectory.appendingPathComponent("psyx.out")]
        let text = try logs.map { try String(contentsOf: $0, encoding: .utf8) }.joined(separator: "\n")
        XCTAssertTrue(text.contains("/api/reply/submit"), "the log should have the requests")
        let secrets = ["김비밀", "secret.person", "example.org", "9876-5432", "010-9876", "98765432", "PRIV7319",
                       "0.731942", "1.731942", "\\uae40", "%EA%B9%80"]
        for secret in secrets {
            XCTAssertFalse(text.localizedCaseInsensitiveContains(secret), "the log contains \(secret)")
        }

        // Modes: the database and its companions are the owner's; pack files and folders not the world's.
        let data = stack.dataDirectory
        for file in ["psyx.sqlite3", "psyx.sqlite3-wal", "psyx.sqlite3-shm"] {
            let mode = try permissions(data.appendingPathComponent(file))
            XCTAssertEqual(mode & 0o077, 0, "\(file) is \(String(mode, radix: 8))")
        }
        var checked = 0
        // (The data directory itself is made by whoever installs psyx: systemd's StateDirectory here.)
        for relative in ["packs", "packs/privacy", "logs", "logs/api.log", "staging", "spool"]
            + PackFixture(name: "privacy", pairs: 3).fileNames.map({ "packs/privacy/" + $0 }) {
            let mode = try permissions(data.appendingPathComponent(relative))
            XCTAssertEqual(mode & 0o007, 0, "\(relative) is \(String(mode, radix: 8))")
            checked += 1
        }
        ReliabilityProbe.report("privacy", ["log_lines": text.split(separator: "\n").count, "secrets_searched": secrets.count,
                                            "found": 0, "paths_mode_checked": checked + 3])
    }

    func testNosniffEverywhereAndARestrictivePolicyOnThePages() throws {
        let stack = try startStack(environment: ["PSYX_PACK_SIZE": "2"])
        let client = ExperimentClient(stack: stack)
        XCTAssertEqual(try client.upload(PackFixture(name: "headers", pairs: 2).body()).status, 200)
        let account = TestStack.developmentAccount
        let pages = [("/", nil), ("/index.html", nil), ("/experiment.html", nil), ("/admin/", account)] as [(String, HTTPClient.Credentials?)]
        for (path, credentials) in pages {
            let page = try stack.http.request("GET", path, credentials: credentials)
            XCTAssertEqual(page.status, 200, path)
            XCTAssertEqual(page.header("content-type")?.hasPrefix("text/html"), true, path)
            try assertRestrictivePolicy(page, path)
            XCTAssertEqual(page.header("x-content-type-options"), "nosniff", path)
        }
        let answers = [
            try stack.http.request("GET", "/api/health"),
            try stack.http.request("GET", "/api/nope"),
            try stack.http.request("PUT", "/api/reply/start"),
            try client.post("/api/reply/start", raw: Array("{".utf8)),
            try stack.http.request("GET", "/admin/"),
            try client.admin("GET", "/api/admin/list"),
            try client.admin("GET", "/api/admin/download?id=1"),
            try client.admin("GET", "/api/admin/download?id=1&format=csv"),
            try client.admin("POST", "/api/admin/remove?id=1", headers: ["Sec-Fetch-Site: cross-site"]),
            try stack.http.request("GET", "/packs/headers/" + PackFixture.fileName(1, "ori")),
        ]
        for answer in answers {
            XCTAssertEqual(answer.header("x-content-type-options"), "nosniff", "status \(answer.status)")
            XCTAssertFalse(answer.headers.contains { $0.name == "x-content-type-options" && $0.value != "nosniff" })
        }
        XCTAssertEqual(Set(answers.map(\.status)), [200, 400, 401, 403, 404, 405])
    }

    private func assertRestrictivePolicy(_ response: HTTPResponse, _ path: String) throws {
        let policy = try XCTUnwrap(response.header("content-security-policy"), "\(path) has no Content-Security-Policy")
        let directives = Dictionary(policy.split(separator: ";").map { part -> (String, String) in
            let words = part.trimmingCharacters(in: .whitespaces).split(separator: " ", maxSplits: 1).map(String.init)
            return (words.first ?? "", words.count > 1 ? words[1] : "")
        }) { first, _ in first }
        XCTAssertEqual(directives["default-src"], "'self'", "\(path): \(policy)")
        XCTAssertEqual(directives["object-src"], "'none'", "\(path): \(policy)")
        XCTAssertEqual(directives["frame-ancestors"], "'none'", "\(path): \(policy)")
        for (name, value) in directives where name.hasSuffix("-src") {
            for loose in ["'unsafe-inline'", "'unsafe-eval'", "*", "http:", "https:"] {
                XCTAssertFalse(value.split(separator: " ").contains { $0 == loose }, "\(path): \(name) allows \(loose)")
            }
        }
    }

    private func permissions(_ url: URL) throws -> Int {
        var info = stat()
        guard stat(url.path, &info) == 0 else { throw StackError("stat \(url.path): errno \(errno)") }
        return Int(info.st_mode) & 0o7777
    }
}
