// swift-tools-version:6.0
import PackageDescription

// The git revision `memconsole --version` prints, from the environment of the build (scripts/git-revision sets it;
// docs/install.md). Only a short revision with an optional "-dirty" is taken: it becomes a C string literal.
let gitRevision = Context.environment["MEMCONSOLE_GIT_REVISION"].flatMap { value in
    value.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") } && !value.isEmpty ? value : nil
}

// Dependencies point one way: memconsole → ConsoleTerminal → ConsoleCore → Migration → Storage / Mem0Client.
// See docs/architecture.md.
let package = Package(
    name: "memconsole",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "memconsole", targets: ["memconsole"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", exact: "1.16.2"),
    ],
    targets: [
        .target(name: "Storage", dependencies: [.product(name: "GRDB", package: "GRDB.swift")]),
        .systemLibrary(name: "CCurl", path: "Sources/CCurl"),
        .target(name: "Mem0Client", dependencies: ["CCurl", .product(name: "Logging", package: "swift-log")]),
        .target(name: "Migration", dependencies: ["Storage", "Mem0Client", .product(name: "Logging", package: "swift-log")]),
        .target(name: "ConsoleCore", dependencies: ["Migration"]),
        .systemLibrary(name: "CNcurses", path: "Sources/CNcurses"),
        .target(name: "ConsoleTerminal", dependencies: ["ConsoleCore", "CNcurses"]),
        .target(name: "CBuildInfo", cSettings: gitRevision.map { [.define("MEMCONSOLE_GIT_REVISION", to: "\"\($0)\"")] } ?? []),
        .executableTarget(name: "memconsole", dependencies: [
            "Storage", "Mem0Client", "Migration", "ConsoleCore", "ConsoleTerminal", "CBuildInfo",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // Shared by the test targets only: the local Mem0 server fixture, the CLI runner, temp files.
        .target(name: "TestSupport", dependencies: [], path: "Tests/TestSupport"),
        .testTarget(name: "StorageTests", dependencies: ["Storage", "TestSupport"]),
        .testTarget(name: "Mem0ClientTests", dependencies: ["Mem0Client", "TestSupport"]),
        .testTarget(name: "MigrationTests", dependencies: ["Migration", "Storage", "Mem0Client", "TestSupport"]),
        .testTarget(name: "ConsoleCoreTests", dependencies: ["ConsoleCore"]),
        // Runs the built `memconsole` binary (CLI, tmux) against real files and the local Mem0 server.
        .testTarget(name: "EndToEndTests", dependencies: ["Storage", "Mem0Client", "TestSupport"]),
    ]
)
