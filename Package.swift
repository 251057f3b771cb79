// swift-tools-version: 6.1
import PackageDescription

/// No target sets unsafe compiler flags, so the package can be a versioned dependency of another. The
/// kernel's hot class properties opt out of dynamic exclusivity checks in the source
/// (`@exclusivity(unchecked)`). A build tuned for the machine it runs on (the sweep's vector loops use
/// AVX2 and FMA where present) is a command-line choice, not the manifest's:
/// `swift build -c release -Xswiftc -target-cpu -Xswiftc native` (see BENCHMARKS.md).
///
/// The library modules in DESIGN.md's order.
let libraryModules = [
    "PeregrineCore", "PeregrineIndicators", "PeregrineModels", "PeregrineRisk", "PeregrineEngine", "PeregrineStrategies",
    "PeregrineResearch", "PeregrineData", "PeregrineStorage", "PeregrineAlpaca", "PeregrineExchange", "PeregrineLive",
    "PeregrineServer", "PeregrineCommandLine",
]

/// Module order follows DESIGN.md: each target imports only targets above it.
let package = Package(
    name: "Peregrine",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "peregrine", targets: ["peregrine"]),
        // Everything a user's own strategies and tools build on, in one product, and each module on its own.
        .library(name: "Peregrine", targets: libraryModules),
    ] + libraryModules.map { .library(name: $0, targets: [$0]) },
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
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/modelcontextprotocol/swift-sdk", from: "0.12.1"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
    ],
    targets: [
        .target(name: "PeregrineCore"),
        .target(name: "PeregrineIndicators", dependencies: ["PeregrineCore"]),
        .target(name: "PeregrineModels", dependencies: ["PeregrineCore", "PeregrineIndicators"]),
        .target(
            name: "PeregrineRisk", dependencies: ["PeregrineCore", "PeregrineIndicators", "PeregrineModels"]
        ),
        .target(
            name: "PeregrineEngine", dependencies: ["PeregrineCore", "PeregrineIndicators", "PeregrineModels", "PeregrineRisk"]
        ),
        .target(
            name: "PeregrineStrategies",
            dependencies: ["PeregrineCore", "PeregrineIndicators", "PeregrineModels", "PeregrineRisk", "PeregrineEngine"]
        ),
        .target(
            name: "PeregrineResearch",
            dependencies: ["PeregrineCore", "PeregrineIndicators", "PeregrineModels", "PeregrineEngine", "PeregrineStrategies"]
        ),
        .target(
            name: "PeregrineData",
            dependencies: ["PeregrineCore", "PeregrineModels", "PeregrineRisk", "PeregrineEngine", .product(name: "TOMLKit", package: "TOMLKit")]
        ),
        .target(
            name: "PeregrineStorage",
            dependencies: ["PeregrineCore", "PeregrineEngine", .product(name: "GRDB", package: "GRDB.swift"),
                           .product(name: "PostgresNIO", package: "postgres-nio"), .product(name: "Logging", package: "swift-log"),
                           .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                           .product(name: "NIOConcurrencyHelpers", package: "swift-nio"), .product(name: "NIOSSL", package: "swift-nio-ssl")]
        ),
        .target(
            name: "PeregrineAlpaca",
            dependencies: ["PeregrineCore", "PeregrineModels", "PeregrineData", .product(name: "AsyncHTTPClient", package: "async-http-client"),
                           .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                           .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOHTTP1", package: "swift-nio")]
        ),
        .target(
            name: "PeregrineExchange",
            dependencies: ["PeregrineCore", "PeregrineModels", "PeregrineRisk", "PeregrineEngine", "PeregrineData", "PeregrineAlpaca",
                           .product(name: "Hummingbird", package: "hummingbird"),
                           .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                           .product(name: "HTTPTypes", package: "swift-http-types"),
                           .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                           .product(name: "Logging", package: "swift-log")]
        ),
        .target(
            name: "PeregrineLive",
            dependencies: ["PeregrineCore", "PeregrineModels", "PeregrineRisk", "PeregrineEngine", "PeregrineStrategies", "PeregrineData", "PeregrineStorage",
                           "PeregrineAlpaca", .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                           .product(name: "Logging", package: "swift-log"),
                           .product(name: "AsyncHTTPClient", package: "async-http-client"),
                           .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOHTTP1", package: "swift-nio")]
        ),
        .target(
            name: "PeregrineServer",
            dependencies: ["PeregrineCore", "PeregrineModels", "PeregrineRisk", "PeregrineStrategies", "PeregrineResearch", "PeregrineData", "PeregrineStorage",
                           "PeregrineAlpaca", "PeregrineLive",
                           .product(name: "Hummingbird", package: "hummingbird"),
                           .product(name: "HummingbirdCore", package: "hummingbird"),
                           .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                           .product(name: "HTTPTypes", package: "swift-http-types"),
                           .product(name: "NIOCore", package: "swift-nio"),
                           .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                           .product(name: "Logging", package: "swift-log"),
                           .product(name: "CoreMetrics", package: "swift-metrics"),
                           .product(name: "Prometheus", package: "swift-prometheus"),
                           .product(name: "MCP", package: "swift-sdk")]
        ),
        .target(
            name: "PeregrineCommandLine",
            dependencies: [
                "PeregrineCore", "PeregrineIndicators", "PeregrineModels", "PeregrineRisk", "PeregrineEngine",
                "PeregrineStrategies", "PeregrineResearch", "PeregrineData", "PeregrineStorage",
                "PeregrineAlpaca", "PeregrineExchange", "PeregrineLive", "PeregrineServer", .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"), .product(name: "Logging", package: "swift-log"),
                .product(name: "MCP", package: "swift-sdk"),
            ]
        ),
        .executableTarget(name: "peregrine", dependencies: ["PeregrineCommandLine"]),
        .executableTarget(
            name: "peregrine-bench",
            dependencies: ["PeregrineCore", "PeregrineIndicators", "PeregrineModels", "PeregrineRisk", "PeregrineEngine",
                           "PeregrineStrategies", "PeregrineResearch", "PeregrineData"]
        ),
        .target(name: "PeregrineTestSupport", dependencies: ["PeregrineCore"], path: "Tests/Support"),
        .testTarget(
            name: "PeregrineModelsTests",
            dependencies: ["PeregrineCore", "PeregrineModels", "PeregrineData", "PeregrineTestSupport",
                           .product(name: "PropertyBased", package: "swift-property-based")]
        ),
        .testTarget(
            name: "PeregrineRiskTests",
            dependencies: ["PeregrineCore", "PeregrineModels", "PeregrineRisk", "PeregrineEngine", "PeregrineData", "PeregrineTestSupport"]
        ),
        .testTarget(
            name: "PeregrineResearchTests",
            dependencies: ["PeregrineCore", "PeregrineRisk", "PeregrineEngine", "PeregrineStrategies", "PeregrineResearch", "PeregrineData",
                           "PeregrineTestSupport"]
        ),
        .testTarget(
            name: "PeregrineStorageTests",
            dependencies: ["PeregrineCore", "PeregrineEngine", "PeregrineStrategies", "PeregrineData", "PeregrineStorage",
                           "PeregrineTestSupport", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(
            name: "PeregrineExchangeTests",
            dependencies: ["PeregrineCore", "PeregrineIndicators", "PeregrineEngine", "PeregrineStrategies", "PeregrineData", "PeregrineAlpaca",
                           "PeregrineExchange", "PeregrineTestSupport"]
        ),
        .testTarget(
            name: "PeregrineLiveTests",
            dependencies: ["PeregrineCore", "PeregrineModels", "PeregrineRisk", "PeregrineEngine", "PeregrineStrategies", "PeregrineData", "PeregrineStorage",
                           "PeregrineAlpaca", "PeregrineExchange", "PeregrineLive", "PeregrineTestSupport",
                           .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                           .product(name: "NIOHTTP1", package: "swift-nio")]
        ),
        .testTarget(
            name: "PeregrineServerTests",
            dependencies: ["PeregrineCore", "PeregrineEngine", "PeregrineStrategies", "PeregrineData", "PeregrineStorage", "PeregrineRisk",
                           "PeregrineAlpaca", "PeregrineExchange", "PeregrineLive", "PeregrineServer", "PeregrineTestSupport",
                           .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                           .product(name: "MCP", package: "swift-sdk"),
                           .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                           .product(name: "Logging", package: "swift-log")]
        ),
        .testTarget(name: "PeregrineAlpacaTests", dependencies: ["PeregrineCore", "PeregrineAlpaca", "PeregrineTestSupport"]),
        .testTarget(name: "PeregrineCoreTests", dependencies: ["PeregrineCore", "PeregrineTestSupport",
                                                              .product(name: "PropertyBased", package: "swift-property-based")]),
        .testTarget(
            name: "PeregrineIndicatorsTests",
            dependencies: ["PeregrineCore", "PeregrineIndicators", "PeregrineData", "PeregrineTestSupport"]
        ),
        .testTarget(
            name: "PeregrineEngineTests",
            dependencies: ["PeregrineCore", "PeregrineIndicators", "PeregrineRisk", "PeregrineEngine", "PeregrineStrategies", "PeregrineData",
                           "PeregrineTestSupport", .product(name: "PropertyBased", package: "swift-property-based")]
        ),
        .testTarget(name: "PeregrineDataTests", dependencies: ["PeregrineCore", "PeregrineEngine", "PeregrineData", "PeregrineTestSupport"]),
        .testTarget(
            name: "PeregrineCLITests",
            dependencies: ["PeregrineCore", "PeregrineModels", "PeregrineRisk", "PeregrineEngine", "PeregrineData", "PeregrineStorage", "PeregrineAlpaca", "PeregrineLive",
                           "PeregrineTestSupport"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
