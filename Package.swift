// swift-tools-version:6.1
import PackageDescription

/// Settings every ura target shares: Swift 6 language mode (strict concurrency) and explicit `any`.
let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "ura",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "ura", targets: ["ura"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // MARK: C libraries (Debian packages; scripts/setup installs them)
        .systemLibrary(
            name: "CCurl", pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        .systemLibrary(
            name: "CWebSockets", pkgConfig: "libwebsockets",
            providers: [.apt(["libwebsockets-dev"])]
        ),
        .systemLibrary(
            name: "CSpeexDSP", pkgConfig: "speexdsp",
            providers: [.apt(["libspeexdsp-dev"])]
        ),
        .systemLibrary(name: "CSpanDSP", pkgConfig: "spandsp", providers: [.apt(["libspandsp-dev"])]),

        // MARK: ura's modules
        .target(name: "HTTP", dependencies: ["CCurl"], swiftSettings: strict),
        .target(
            name: "WebSocket",
            dependencies: ["CWebSockets", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict
        ),
        .target(name: "LoopbackWebSocketServer", swiftSettings: strict),
        .target(name: "AsteriskSimulator", dependencies: ["CSpanDSP", "LoopbackWebSocketServer"], swiftSettings: strict),
        .target(name: "StructuredLogging", dependencies: [.product(name: "Logging", package: "swift-log")], swiftSettings: strict),
        .target(name: "Settings", swiftSettings: strict),
        .executableTarget(
            name: "ura",
            dependencies: [
                "HTTP", "Settings", "StructuredLogging",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),

        // MARK: Tests
        .testTarget(name: "HTTPTests", dependencies: ["HTTP"], swiftSettings: strict),
        .testTarget(name: "WebSocketTests", dependencies: ["WebSocket", "LoopbackWebSocketServer"], swiftSettings: strict),
        .testTarget(
            name: "AsteriskSimulatorTests", dependencies: ["AsteriskSimulator", "HTTP", "WebSocket"], swiftSettings: strict
        ),
        .testTarget(name: "SettingsTests", dependencies: ["Settings"], swiftSettings: strict),
        .testTarget(
            name: "StructuredLoggingTests",
            dependencies: ["StructuredLogging", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict
        ),
        .testTarget(
            name: "DeploymentTests",
            dependencies: ["Settings", "ura", .product(name: "Yams", package: "Yams")],
            swiftSettings: strict
        ),
    ],
    swiftLanguageModes: [.v6]
)
