#if canImport(Glibc)
import Glibc
#endif
import Foundation
import PsyxTestSupport

/// The experiment API of a running stack, called through Nginx with curl the
/// way a researcher's script (admin, basic auth) and the participant page do.
struct ExperimentClient {
    let stack: TestStack
    var credentials = TestStack.developmentAccount

    /// An admin route with the development account.
    func admin(_ method: String = "GET", _ path: String, headers: [String] = [], body: [UInt8]? = nil) throws -> HTTPResponse {
        try stack.http.request(method, path, credentials: credentials, headers: headers, body: body)
    }

    /// `POST /api/admin/create` with a multipart body sent from a file
    /// (`curl --data-binary @file`, boundary in the Content-Type).
    func upload(_ body: MultipartBody, contentType: String? = nil) throws -> HTTPResponse {
        try admin("POST", "/api/admin/create", headers: ["Content-Type: \(contentType ?? body.contentType)"], body: body.bytes)
    }

    /// A public POST of `object` as JSON (start, submit).
    func post(_ path: String, json object: Any) throws -> HTTPResponse {
        let data = try JSONSerialization.data(withJSONObject: object)
        return try post(path, raw: Array(data))
    }

    /// A public POST of bytes as they are (malformed JSON too).
    func post(_ path: String, raw: [UInt8], contentType: String = "application/json") throws -> HTTPResponse {
        try stack.http.request("POST", path, headers: ["Content-Type: \(contentType)"], body: raw)
    }

    /// `GET /api/admin/list`, parsed.
    func list() throws -> [[String: Any]] {
        let response = try admin("GET", "/api/admin/list")
        guard response.status == 200, let packs = response.json as? [[String: Any]] else {
            throw StackError("list answered \(response.status): \(response.text)")
        }
        return packs
    }

    /// `POST /api/reply/start`: the pack id and its pairs as served (element 0 on the left).
    func start(_ participant: ParticipantFixture) throws -> (packID: Int, pairs: [[String]], answer: [String: Any]) {
        let response = try post("/api/reply/start", json: participant.details)
        guard response.status == 200, let answer = response.json as? [String: Any],
              let packID = answer["p_id"] as? Int, let pairs = answer["pic_pairs"] as? [[String]] else {
            throw StackError("start answered \(response.status): \(response.text)")
        }
        return (packID, pairs, answer)
    }

    /// GETs every path from one curl process (one connection); each line is
    /// `STATUS CONTENT-TYPE BYTES`, in order.
    func fetchAll(_ paths: [String]) throws -> [String] {
        try batch(paths, outputs: paths.map { _ in "/dev/null" }, credentials: nil,
                  writeOut: "%{http_code} %{content_type} %{size_download}")
    }

    /// GETs admin paths from one curl process: each status and body, in order.
    func adminBodies(_ paths: [String]) throws -> [(status: Int, text: String)] {
        let outputs = paths.map { _ in stack.directory.appendingPathComponent("batch-\(UUID().uuidString).body").path }
        defer { for output in outputs { try? FileManager.default.removeItem(atPath: output) } }
        let statuses = try batch(paths, outputs: outputs, credentials: credentials, writeOut: "%{http_code}")
        return zip(statuses, outputs).map { status, output in
            (Int(status) ?? 0, (try? String(contentsOfFile: output, encoding: .utf8)) ?? "")
        }
    }

    private func batch(_ paths: [String], outputs: [String], credentials: HTTPClient.Credentials?,
                       writeOut: String) throws -> [String] {
        let config = stack.directory.appendingPathComponent("batch-\(UUID().uuidString).config")
        defer { try? FileManager.default.removeItem(at: config) }
        let lines = zip(paths, outputs).map { "url = \"\(stack.http.baseURL + $0)\"\noutput = \"\($1)\"\n" }
        try lines.joined().write(to: config, atomically: true, encoding: .utf8)
        var arguments = ["--silent", "--show-error", "--max-time", "120", "--write-out", writeOut + "\\n", "--config", config.path]
        if let credentials { arguments += ["--user", "\(credentials.user):\(credentials.password)"] }
        let result = try Command.run("curl", arguments, scratch: stack.directory)
        guard result.status == 0 else { throw StackError("curl failed (exit \(result.status)): \(result.standardError)") }
        return result.output.split(separator: "\n").map(String.init)
    }

    /// Rows per table, read from the database file beside the running responder
    /// (read-only, through Python's sqlite3 module): `packs=1 pack_pairs=300 replies=1`.
    func rowCounts() throws -> String {
        if let database = stack.psyxEnvironment["PSYX_DATABASE"], !database.hasPrefix("sqlite:") {
            return try postgreSQLRowCounts(database)
        }
        let script = RepositoryLayout.root.appendingPathComponent("Tests/EndToEndTests/python/table_counts.py")
        let database = stack.dataDirectory.appendingPathComponent("psyx.sqlite3")
        let result = try Command.run("python3", [script.path, database.path], scratch: stack.directory)
        guard result.status == 0 else { throw StackError("table_counts.py failed: \(result.standardError)") }
        return result.output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// `rowCounts` of a psyx on PostgreSQL, read with `psql` (its password, if any, in PGPASSFILE).
    private func postgreSQLRowCounts(_ database: String) throws -> String {
        let query = "SELECT 'packs=' || (SELECT count(*) FROM packs) || ' pack_pairs=' || (SELECT count(*) FROM pack_pairs)"
            + " || ' replies=' || (SELECT count(*) FROM replies)"
        let result = try Command.run("psql", ["--no-psqlrc", "--quiet", "--tuples-only", "--no-align", "-c", query, database],
                                     scratch: stack.directory)
        guard result.status == 0 else { throw StackError("psql failed: \(result.standardError)") }
        return result.output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Every file and folder under the data directory but the log, the database
    /// files and the request-body spool, as `path size` lines (folders end in `/`).
    func dataFiles() -> [String] {
        var entries: [String] = []
        Self.walk(stack.dataDirectory.path, prefix: "", into: &entries) { relative in
            // holds.sqlite: holds are not answers (a start with a token writes one; nothing refused does)
            relative != "logs" && relative != "spool" && !relative.hasPrefix("psyx.sqlite3") && !relative.hasPrefix("holds.sqlite")
        }
        return entries.sorted()
    }

    /// readdir and lstat (Foundation's enumerator is a hundred times slower on 600 files).
    private static func walk(_ folder: String, prefix: String, into entries: inout [String], keep: (String) -> Bool) {
        for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] {
            let relative = prefix + name
            guard keep(relative) else { continue }
            var info = stat()
            guard lstat(folder + "/" + name, &info) == 0 else {
                entries.append(relative + " (vanished)")
                continue
            }
            if info.st_mode & S_IFMT == S_IFDIR {
                entries.append(relative + "/")
                walk(folder + "/" + name, prefix: relative + "/", into: &entries, keep: keep)
            } else {
                entries.append("\(relative) \(info.st_size)")
            }
        }
    }

    /// The sentence of a policy page (`<p>…</p>`), HTML entities decoded; the whole text otherwise.
    static func sentence(_ response: HTTPResponse) -> String {
        let text = response.text
        guard let start = text.range(of: "<p>"), let end = text.range(of: "</p>", range: start.upperBound..<text.endIndex) else {
            return text
        }
        var sentence = String(text[start.upperBound..<end.lowerBound])
        for (entity, character) in [("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&#39;", "'"), ("&#x27;", "'"), ("&amp;", "&")] {
            sentence = sentence.replacingOccurrences(of: entity, with: character)
        }
        return sentence
    }
}
