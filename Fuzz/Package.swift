// swift-tools-version:6.0
import PackageDescription

// Fuzz targets for intercom-sh's input parsers, for libFuzzer: build and run them with scripts/fuzz, which passes
// --sanitize=fuzzer --sanitize=address. A separate package, so that the product's build never sees those flags.
let package = Package(
    name: "intercom-sh-fuzz",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "intercom-sh", path: "..")],
    targets: [
        .target(
            name: "FuzzChecks",
            dependencies: [
                .product(name: "IntercomKit", package: "intercom-sh"),
                .product(name: "IntercomShell", package: "intercom-sh"),
            ]
        ),
        .executableTarget(name: "FuzzCommandLanguage", dependencies: ["FuzzChecks"]),
        .executableTarget(name: "FuzzNDJSON", dependencies: ["FuzzChecks"]),
        .executableTarget(name: "FuzzInterpolation", dependencies: ["FuzzChecks"]),
    ],
    swiftLanguageModes: [.v6]
)
