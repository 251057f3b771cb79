// swift-tools-version: 6.1
import PackageDescription

// Depends on Peregrine by a versioned requirement, as any package would. PEREGRINE_PACKAGE_URL
// points it at another copy (a local checkout with a tag, for instance).
let peregrine = Context.environment["PEREGRINE_PACKAGE_URL"] ?? "https://github.com/peregrine-trading/peregrine"

let package = Package(
    name: "custom-strategy",
    platforms: [.macOS(.v15)],
    dependencies: [.package(url: peregrine, from: "0.1.0")],
    targets: [
        .executableTarget(name: "my-peregrine", dependencies: [.product(name: "Peregrine", package: "peregrine")]),
    ],
    swiftLanguageModes: [.v6]
)
