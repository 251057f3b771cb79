// swift-tools-version: 6.1
import Foundation
import PackageDescription

/// Release builds of the research kernels (the sweep's vector loops) use the build machine's
/// 256-bit vector unit when it has one (AVX2 and FMA: x86-64 processors from about 2013 on), as
/// numerical libraries pick their kernels at run time. `PEREGRINE_PORTABLE=1 swift build ...`
/// builds for any x86-64 instead (for a binary copied to an older machine); remove `.build` after
/// switching. Other architectures use their compiler's default.
let researchVectorFlags: [String] = {
    #if arch(x86_64) && os(Linux)
    if ProcessInfo.processInfo.environment["PEREGRINE_PORTABLE"] == nil,
       let cpu = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
       let flags = cpu.split(separator: "\n").first(where: { $0.hasPrefix("flags") }) {
        let names = Set(flags.split(separator: " ").map(String.init))
        if names.contains("avx2") && names.contains("fma") { return ["-target-cpu", "haswell"] }
    }
    #endif
    return []
}()

/// Module order follows DESIGN.md: each target imports only targets above it.
let package = Package(
    name: "Peregrine",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "peregrine", targets: ["peregrine"]),
        .library(name: "PeregrineCore", targets: ["PeregrineCore"]),
        .library(name: "PeregrineEngine", targets: ["PeregrineEngine"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", from: "2.8.1"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
    ],
    targets: [
        .target(name: "PeregrineCore"),
        .target(name: "PeregrineIndicators", dependencies: ["PeregrineCore"]),
        .target(name: "PeregrineModels", dependencies: ["PeregrineCore", "PeregrineIndicators"]),
        // The kernel's per-bar state and the risk engine's mirrors live in classes; dynamic exclusivity
        // checks on them cost a fifth of a backtest and half of a risk check. Release builds drop them;
        // debug builds (and so the tests) keep them.
        .target(
            name: "PeregrineRisk", dependencies: ["PeregrineCore", "PeregrineIndicators", "PeregrineModels"],
            swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]
        ),
        .target(
            name: "PeregrineEngine", dependencies: ["PeregrineCore", "PeregrineIndicators", "PeregrineRisk"],
            swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]
        ),
        .target(
            name: "PeregrineStrategies",
            dependencies: ["PeregrineCore", "PeregrineIndicators", "PeregrineModels", "PeregrineEngine"],
            swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]
        ),
        .target(
            name: "PeregrineResearch",
            dependencies: ["PeregrineCore", "PeregrineIndicators", "PeregrineModels", "PeregrineEngine", "PeregrineStrategies"],
            swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"] + researchVectorFlags, .when(configuration: .release))]
        ),
        .target(
            name: "PeregrineData",
            dependencies: ["PeregrineCore", "PeregrineRisk", "PeregrineEngine", .product(name: "TOMLKit", package: "TOMLKit")]
        ),
        .target(
            name: "PeregrineStorage",
            dependencies: ["PeregrineCore", "PeregrineEngine", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .target(
            name: "PeregrineAlpaca",
            dependencies: ["PeregrineCore", "PeregrineData", .product(name: "AsyncHTTPClient", package: "async-http-client"),
                           .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                           .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOHTTP1", package: "swift-nio")]
        ),
        .target(
            name: "PeregrineExchange",
            dependencies: ["PeregrineCore", "PeregrineRisk", "PeregrineEngine", "PeregrineData", "PeregrineAlpaca",
                           .product(name: "Hummingbird", package: "hummingbird"),
                           .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                           .product(name: "HTTPTypes", package: "swift-http-types"),
                           .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                           .product(name: "Logging", package: "swift-log")]
        ),
        .target(
            name: "PeregrineLive",
            dependencies: ["PeregrineCore", "PeregrineRisk", "PeregrineEngine", "PeregrineStrategies", "PeregrineData", "PeregrineStorage",
                           "PeregrineAlpaca", .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                           .product(name: "Logging", package: "swift-log")]
        ),
        .executableTarget(
            name: "peregrine",
            dependencies: [
                "PeregrineCore", "PeregrineIndicators", "PeregrineModels", "PeregrineRisk", "PeregrineEngine",
                "PeregrineStrategies", "PeregrineResearch", "PeregrineData", "PeregrineStorage",
                "PeregrineAlpaca", "PeregrineExchange", "PeregrineLive", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "peregrine-bench",
            dependencies: ["PeregrineCore", "PeregrineIndicators", "PeregrineModels", "PeregrineRisk", "PeregrineEngine",
                           "PeregrineStrategies", "PeregrineResearch", "PeregrineData"]
        ),
        .target(name: "PeregrineTestSupport", dependencies: ["PeregrineCore"], path: "Tests/Support"),
        .testTarget(
            name: "PeregrineModelsTests",
            dependencies: ["PeregrineCore", "PeregrineModels", "PeregrineData", "PeregrineTestSupport"]
        ),
        .testTarget(
            name: "PeregrineRiskTests",
            dependencies: ["PeregrineCore", "PeregrineRisk", "PeregrineEngine", "PeregrineData", "PeregrineTestSupport"]
        ),
        .testTarget(
            name: "PeregrineResearchTests",
            dependencies: ["PeregrineCore", "PeregrineEngine", "PeregrineStrategies", "PeregrineResearch", "PeregrineData",
                           "PeregrineTestSupport"]
        ),
        .testTarget(
            name: "PeregrineStorageTests",
            dependencies: ["PeregrineCore", "PeregrineEngine", "PeregrineStrategies", "PeregrineData", "PeregrineStorage",
                           "PeregrineTestSupport"]
        ),
        .testTarget(
            name: "PeregrineExchangeTests",
            dependencies: ["PeregrineCore", "PeregrineIndicators", "PeregrineEngine", "PeregrineStrategies", "PeregrineData", "PeregrineAlpaca",
                           "PeregrineExchange", "PeregrineTestSupport"]
        ),
        .testTarget(
            name: "PeregrineLiveTests",
            dependencies: ["PeregrineCore", "PeregrineEngine", "PeregrineStrategies", "PeregrineData", "PeregrineStorage",
                           "PeregrineAlpaca", "PeregrineExchange", "PeregrineLive", "PeregrineTestSupport"]
        ),
        .testTarget(name: "PeregrineAlpacaTests", dependencies: ["PeregrineCore", "PeregrineAlpaca", "PeregrineTestSupport"]),
        .testTarget(name: "PeregrineCoreTests", dependencies: ["PeregrineCore", "PeregrineTestSupport"]),
        .testTarget(
            name: "PeregrineIndicatorsTests",
            dependencies: ["PeregrineCore", "PeregrineIndicators", "PeregrineData", "PeregrineTestSupport"]
        ),
        .testTarget(
            name: "PeregrineEngineTests",
            dependencies: ["PeregrineCore", "PeregrineIndicators", "PeregrineRisk", "PeregrineEngine", "PeregrineStrategies", "PeregrineData",
                           "PeregrineTestSupport"]
        ),
        .testTarget(name: "PeregrineDataTests", dependencies: ["PeregrineCore", "PeregrineEngine", "PeregrineData", "PeregrineTestSupport"]),
        .testTarget(
            name: "PeregrineCLITests",
            dependencies: ["PeregrineCore", "PeregrineRisk", "PeregrineEngine", "PeregrineData", "PeregrineStorage", "PeregrineAlpaca",
                           "PeregrineTestSupport"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
