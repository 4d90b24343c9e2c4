// swift-tools-version:6.0
import PackageDescription

let upcomingFeatures: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "intercom-sh",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "intercom-sh", targets: ["intercom-sh"]),
        .library(name: "IntercomKit", targets: ["IntercomKit"]),
        .library(name: "IntercomSandbox", targets: ["IntercomSandbox"]),
        .library(name: "IntercomShell", targets: ["IntercomShell"]),
    ],
    dependencies: [
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
    ],
    targets: [
        .target(
            name: "IntercomKit",
            dependencies: [
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: upcomingFeatures
        ),
        .target(
            name: "IntercomSandbox",
            dependencies: [
                "IntercomKit",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: upcomingFeatures
        ),
        // libedit (Debian's libedit-dev) is found where the compiler and linker look by default. Its pkg-config file
        // would add -L/usr/lib/x86_64-linux-gnu ahead of every other library folder, and so defeat the static
        // archives scripts/build-release links in.
        .systemLibrary(name: "CLibEdit"),
        .target(
            name: "LineEditing",
            dependencies: ["CLibEdit"],
            swiftSettings: upcomingFeatures
        ),
        .target(
            name: "IntercomShell",
            dependencies: [
                "IntercomKit",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "TOMLKit", package: "TOMLKit"),
            ],
            swiftSettings: upcomingFeatures
        ),
        .target(
            name: "IntercomTesting",
            dependencies: [
                "IntercomKit",
                .product(name: "Yams", package: "Yams"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                "IntercomSandbox",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: upcomingFeatures
        ),
        .executableTarget(
            name: "intercom-sh",
            dependencies: [
                "IntercomKit",
                "IntercomShell",
                "LineEditing",
                "IntercomSandbox",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: upcomingFeatures
        ),
        .executableTarget(
            name: "sandbox-store-bench",
            dependencies: ["IntercomKit", "IntercomSandbox"],
            swiftSettings: upcomingFeatures
        ),
        .testTarget(
            name: "IntercomKitTests",
            dependencies: ["IntercomKit", "IntercomSandbox", "IntercomTesting"],
            swiftSettings: upcomingFeatures
        ),
        .testTarget(
            name: "IntercomSandboxTests",
            dependencies: [
                "IntercomKit", "IntercomSandbox", "IntercomTesting", .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: upcomingFeatures
        ),
        .testTarget(
            name: "IntercomShellTests",
            dependencies: [
                "IntercomKit", "IntercomShell", "IntercomSandbox", "IntercomTesting", "LineEditing", .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: upcomingFeatures
        ),
        .testTarget(
            name: "FuzzCorpusTests",
            dependencies: ["IntercomKit", "IntercomShell", "IntercomTesting"],
            swiftSettings: upcomingFeatures
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["IntercomKit", "IntercomSandbox", "IntercomShell", "IntercomTesting", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: upcomingFeatures
        ),
    ],
    swiftLanguageModes: [.v6]
)
