// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Psyx",
    products: [
        .executable(name: "psyx", targets: ["PsyxCommand"]),
    ],
    targets: [
        // C libraries from the system, through module maps (no third-party Swift packages).
        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite"),

        // The FastCGI responder role: records, request assembly, the server loop. Knows nothing of Psyx.
        .target(name: "FastCGI"),

        // The application: routing, handlers, validation, storage, log.
        .target(name: "Psyx", dependencies: ["FastCGI", "CSQLite"]),

        // The thin executable: `psyx serve`, `psyx levels`, `psyx contents`, `psyx relocate`.
        .executableTarget(name: "PsyxCommand", dependencies: ["Psyx"], path: "Sources/psyx"),

        .testTarget(name: "FastCGITests", dependencies: ["FastCGI"]),
        .testTarget(name: "PsyxTests", dependencies: ["Psyx", "FastCGI"]),
        .testTarget(name: "EndToEndTests", dependencies: ["Psyx"]),
    ]
)
