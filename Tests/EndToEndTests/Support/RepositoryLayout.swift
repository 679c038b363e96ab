import Foundation

/// Where the end-to-end tests find the repository, the built `psyx` and Nginx.
///
/// Missing pieces are errors, never skips: these tests exist to run the real thing.
enum RepositoryLayout {
    /// The repository root: this file is Tests/EndToEndTests/Support/RepositoryLayout.swift.
    static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // Support
        .deletingLastPathComponent()  // EndToEndTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()

    static var devScript: URL { root.appendingPathComponent("nginx/dev") }
    static var developmentPasswordFile: URL { root.appendingPathComponent("htpasswd.example") }

    /// The `psyx` built with the tests: `PSYX_E2E_BINARY` when set, else the
    /// executable next to the test bundle (the same build products folder), else
    /// the repository's .build/debug.
    static func psyxExecutable() throws -> URL {
        var candidates: [URL] = []
        if let explicit = ProcessInfo.processInfo.environment["PSYX_E2E_BINARY"], !explicit.isEmpty {
            candidates.append(URL(fileURLWithPath: explicit))
        }
        candidates.append(Bundle.main.bundleURL.appendingPathComponent("psyx"))
        if let executable = Bundle.main.executableURL {
            candidates.append(executable.deletingLastPathComponent().appendingPathComponent("psyx"))
        }
        for bundle in Bundle.allBundles where bundle.bundleURL.pathExtension == "xctest" {
            candidates.append(bundle.bundleURL.deletingLastPathComponent().appendingPathComponent("psyx"))
        }
        candidates.append(root.appendingPathComponent(".build/debug/psyx"))
        if let found = candidates.first(where: { isExecutableFile($0) }) {
            try checkNotStale(found)
            return found
        }
        throw StackError("""
            the psyx executable was not found (looked at \(candidates.map(\.path).joined(separator: ", "))); \
            build it with `swift build` or set PSYX_E2E_BINARY
            """)
    }

    /// Nginx from PATH or /usr/sbin; its absence fails the test with the fix.
    static func nginxExecutable() throws -> URL {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let directories = path.split(separator: ":").map(String.init) + ["/usr/sbin", "/usr/local/sbin", "/usr/local/bin"]
        for directory in directories {
            let candidate = URL(fileURLWithPath: directory).appendingPathComponent("nginx")
            if isExecutableFile(candidate) { return candidate }
        }
        throw StackError("nginx is not installed: the end-to-end tests need it (`nginx/dev test` installs it)")
    }

    /// `swift test` may recompile the app's modules without relinking the `psyx`
    /// executable: a binary older than one of the object files it is linked from
    /// (SwiftPM lists them in psyx.product/Objects.LinkFileList) would test old
    /// code, so that is an error. Sources are not compared: a change the compiler
    /// finds irrelevant, such as a comment, rewrites no object and relinks nothing.
    private static func checkNotStale(_ binary: URL) throws {
        let built = modificationDate(binary) ?? .distantPast
        let list = binary.deletingLastPathComponent().appendingPathComponent("psyx.product/Objects.LinkFileList")
        guard let objects = try? String(contentsOf: list, encoding: .utf8) else { return }
        for line in objects.split(separator: "\n") {
            let path = line.trimmingCharacters(in: CharacterSet(charactersIn: "\"' "))
            guard !path.isEmpty, let changed = modificationDate(URL(fileURLWithPath: path)), changed > built else { continue }
            throw StackError("""
                \(binary.path) is older than \(path), which it is linked from: run `swift build` \
                before the end-to-end tests (`nginx/dev test` does)
                """)
        }
    }

    private static func modificationDate(_ url: URL) -> Date? {
        (try? url.resourceValues(forKeys: [.contentModificationDateKey]))?.contentModificationDate
    }

    private static func isExecutableFile(_ url: URL) -> Bool {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else { return false }
        return !isDirectory.boolValue && FileManager.default.isExecutableFile(atPath: url.path)
    }
}
