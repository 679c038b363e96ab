import Foundation

/// An HTTP client that is a real one: each request is a `curl` run, so what is
/// tested is what a researcher's script or a browser would send through Nginx.
struct HTTPClient {
    /// `http://127.0.0.1:PORT`, no trailing slash.
    let baseURL: String
    /// A folder for curl's output files.
    let scratch: URL

    /// Basic-auth credentials for `-u`.
    struct Credentials {
        let user: String
        let password: String
    }

    /// One request. `headers` are raw `Name: value` lines; `bodyFile` is sent
    /// as it is (`--data-binary @file`), `body` likewise from memory; `timeoutSeconds`
    /// bounds the whole exchange.
    func request(_ method: String = "GET", _ path: String, credentials: Credentials? = nil,
                 headers: [String] = [], body: [UInt8]? = nil, bodyFile: URL? = nil,
                 timeoutSeconds: Int = 300) throws -> HTTPResponse {
        let id = UUID().uuidString
        let headerURL = scratch.appendingPathComponent("curl-\(id).headers")
        let bodyURL = scratch.appendingPathComponent("curl-\(id).body")
        var uploadURL: URL?
        defer {
            for url in [headerURL, bodyURL] + (uploadURL.map { [$0] } ?? []) {
                try? FileManager.default.removeItem(at: url)
            }
        }

        var arguments = ["--silent", "--show-error", "--max-time", String(timeoutSeconds),
                         "--request", method,
                         "--dump-header", headerURL.path, "--output", bodyURL.path,
                         "--write-out", "%{http_code}",
                         // No "Expect: 100-continue" round trip for large bodies.
                         "--header", "Expect:"]
        if let credentials {
            arguments += ["--user", "\(credentials.user):\(credentials.password)"]
        }
        for header in headers {
            arguments += ["--header", header]
        }
        if let body {
            let url = scratch.appendingPathComponent("curl-\(id).upload")
            try Data(body).write(to: url)
            uploadURL = url
            arguments += ["--data-binary", "@\(url.path)"]
        } else if let bodyFile {
            arguments += ["--data-binary", "@\(bodyFile.path)"]
        }
        arguments.append(baseURL + path)

        let result = try Command.run("curl", arguments, scratch: scratch)
        guard result.status == 0, let status = Int(result.output.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw StackError("curl \(method) \(path) failed (exit \(result.status)): \(result.standardError)")
        }
        let dump = (try? String(contentsOf: headerURL, encoding: .utf8)) ?? ""
        let responseBody = (try? [UInt8](Data(contentsOf: bodyURL))) ?? []
        return HTTPResponse(status: status, headers: HTTPResponse.lastHeaderBlock(of: dump), body: responseBody)
    }

    /// Sends `count` GET requests for `path` from one curl process, which keeps
    /// its connection to Nginx open between them; returns each status in order.
    func repeatedGet(_ path: String, count: Int) throws -> [Int] {
        let configURL = scratch.appendingPathComponent("curl-\(UUID().uuidString).config")
        defer { try? FileManager.default.removeItem(at: configURL) }
        var config = ""
        for _ in 0..<count {
            config += "url = \"\(baseURL + path)\"\noutput = \"/dev/null\"\n"
        }
        try config.write(to: configURL, atomically: true, encoding: .utf8)
        let result = try Command.run("curl", ["--silent", "--show-error", "--max-time", "300",
                                              "--write-out", "%{http_code}\\n", "--config", configURL.path],
                                     scratch: scratch)
        guard result.status == 0 else {
            throw StackError("curl (\(count) × \(path)) failed (exit \(result.status)): \(result.standardError)")
        }
        return result.output.split(separator: "\n").map { Int($0) ?? 0 }
    }
}
