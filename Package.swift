// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Psyx",
    products: [
        .executable(name: "psyx", targets: ["PsyxCommand"]),
    ],
    targets: [
        // C libraries from the system, through module maps (no third-party Swift packages):
        // sqlite3, libjpeg (libjpeg62-turbo-dev), zlib (zlib1g-dev), libpq (libpq-dev).
        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite"),
        .systemLibrary(name: "CPostgreSQL", path: "Sources/CPostgreSQL"),
        .systemLibrary(name: "CJPEG", path: "Sources/CJPEG"),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
        // Our own C: libjpeg behind setjmp/longjmp, so a corrupt file is an error code, not exit().
        .target(name: "CJPEGShim", dependencies: ["CJPEG"], linkerSettings: [.linkedLibrary("jpeg")]),
        // Linux calls the Glibc module does not export (epoll, eventfd, syncfs).
        .systemLibrary(name: "CLinux", path: "Sources/CLinux"),

        // The FastCGI responder role: records, request assembly, the server loop. Knows nothing of Psyx.
        .target(name: "FastCGI", dependencies: ["CLinux"]),

        // The application: routing, handlers, validation, storage, log.
        .target(name: "Psyx", dependencies: ["FastCGI", "CSQLite", "CPostgreSQL", "CLinux", "CZlib", "CJPEGShim"]),

        // The thin executable: `psyx serve`, `psyx levels`, `psyx contents`, `psyx relocate`.
        .executableTarget(name: "PsyxCommand", dependencies: ["Psyx"], path: "Sources/psyx"),

        // Fixtures shared by the test targets: multipart bodies, tiny JPEGs, generated packs, Wait.
        // Also a schema of its own on the test PostgreSQL server, through Psyx's libpq wrapper.
        .target(name: "PsyxTestSupport", dependencies: ["FastCGI", "Psyx"], path: "Tests/PsyxTestSupport"),
        .testTarget(name: "FastCGITests", dependencies: ["FastCGI", "PsyxTestSupport"]),
        .testTarget(name: "PsyxTests", dependencies: ["Psyx", "FastCGI", "PsyxTestSupport"], exclude: ["python"]),
        // python/: the original service's Python client and a row counter, run by the tests.
        .testTarget(name: "EndToEndTests", dependencies: ["Psyx", "FastCGI", "PsyxTestSupport"], exclude: ["python"]),
    ]
)
