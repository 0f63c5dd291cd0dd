// swift-tools-version:6.1
import PackageDescription

/// Settings every ura target shares: Swift 6 language mode (strict concurrency) and explicit `any`.
let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "ura",
    // ura runs on Linux (Debian 12 and its packages, glibc); SwiftPM lists only Apple platforms,
    // and the macOS minimum here is what the dependencies need, not a supported target.
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "ura", targets: ["ura"]),
        .executable(name: "MediaBench", targets: ["MediaBench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/modelcontextprotocol/swift-sdk", from: "0.12.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/ordo-one/malloc-interposer", from: "1.6.1"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
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
            name: "CWebRTCVAD", pkgConfig: "webrtc-audio-processing",
            providers: [.apt(["libwebrtc-audio-processing-dev"])]
        ),
        .target(
            name: "CWebRTCEcho",
            cxxSettings: [
                // pkg-config's flags for webrtc-audio-processing, which a C++ target cannot take from a system library.
                .define("WEBRTC_POSIX"), .define("WEBRTC_AUDIO_PROCESSING_ONLY_BUILD"),
                .unsafeFlags(["-I/usr/include/webrtc_audio_processing"]),
            ],
            linkerSettings: [.linkedLibrary("webrtc_audio_processing")]
        ),
        .systemLibrary(
            name: "CSpeexDSP", pkgConfig: "speexdsp",
            providers: [.apt(["libspeexdsp-dev"])]
        ),
        .systemLibrary(
            name: "CSpanDSP", pkgConfig: "spandsp",
            providers: [.apt(["libspandsp-dev"])]
        ),

        // MARK: ura's modules
        .target(name: "CMediaSockets"),
        .target(name: "CBacktrace"),
        .executableTarget(
            name: "MediaBench",
            dependencies: [
                "Media", "Calls", "Audio", "CMediaSockets", "CBacktrace", "Voice", "VoiceTesting",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "MallocInterposerSwift", package: "malloc-interposer"),
            ],
            swiftSettings: strict
        ),
        .target(name: "HTTP", dependencies: ["CCurl"], swiftSettings: strict),
        .target(
            name: "WebSocket",
            dependencies: ["CWebSockets", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict
        ),
        .target(
            name: "LoopbackWebSocketServer",
            dependencies: [
                "LoopbackHTTPServer", .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"), .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"), .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"), .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "NIOHTTPTypesHTTP1", package: "swift-nio-extras"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .target(name: "Randomness", swiftSettings: strict),
        .target(
            name: "AsteriskSimulator",
            dependencies: [
                "CSpanDSP", "LoopbackHTTPServer", "LoopbackWebSocketServer", "Randomness", .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"), .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"), .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(name: "AsteriskSimulatorServer", dependencies: ["AsteriskSimulator"], swiftSettings: strict),
        .target(name: "StructuredLogging", dependencies: [.product(name: "Logging", package: "swift-log")], swiftSettings: strict),
        .target(name: "Settings", dependencies: ["Audio"], swiftSettings: strict),
        // PCM audio as ura handles it everywhere: rates, frames, WAV, resampling (speexdsp).
        .target(name: "Audio", dependencies: ["CSpeexDSP"], swiftSettings: strict),
        .target(name: "Media", dependencies: ["Audio", "CSpanDSP", "CMediaSockets"], swiftSettings: strict),
        .target(name: "Recording", dependencies: ["Media", "Audio", .product(name: "Logging", package: "swift-log")], swiftSettings: strict),
        .target(
            name: "Voice",
            dependencies: [
                "CWebRTCVAD", "CWebRTCEcho", .product(name: "Logging", package: "swift-log"),
                .product(name: "DequeModule", package: "swift-collections"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "VoiceTesting", dependencies: ["Voice", .product(name: "DequeModule", package: "swift-collections")], swiftSettings: strict
        ),
        .target(
            name: "Providers",
            dependencies: [
                "Voice", "HTTP", "WebSocket", "Audio", "Settings", "Telemetry", "Tools",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strict
        ),
        .target(name: "ARI", dependencies: ["HTTP", "WebSocket", .product(name: "Logging", package: "swift-log")], swiftSettings: strict),
        .executableTarget(
            name: "ARIBench",
            dependencies: ["ARI", "HTTP", "LoopbackHTTPServer", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict
        ),
        .target(
            name: "LoopbackHTTPServer",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"), .product(name: "HummingbirdCore", package: "hummingbird"), .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "Calls",
            dependencies: [
                "ARI", "Media", "Audio", "Recording", "Settings", "Telemetry", "Voice",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "Bots",
            dependencies: ["Calls", "Voice", "Providers", "Flows", "OfflineSpeech", "Settings", "Tools", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict
        ),
        .target(
            name: "CallsTesting",
            dependencies: ["Calls", "Voice", "VoiceTesting", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "PipelineBench",
            dependencies: [
                "ARI", "AsteriskSimulator", "Bots", "Calls", "CallsTesting", "HTTP", "Media", "OfflineSpeech", "Providers",
                "Settings", "Voice",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "CallRecords",
            dependencies: [
                .product(name: "GRDB", package: "GRDB.swift"), .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "CallRecordsPostgres",
            dependencies: ["CallRecords", .product(name: "PostgresNIO", package: "postgres-nio"), .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict
        ),
        .target(name: "Telemetry", dependencies: [.product(name: "Metrics", package: "swift-metrics")], swiftSettings: strict),
        .target(
            name: "Tools",
            dependencies: ["HTTP", "Telemetry", .product(name: "Yams", package: "Yams"), .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict
        ),
        .target(
            name: "MCPTools",
            dependencies: [
                "Tools", "HTTP", "Telemetry", .product(name: "MCP", package: "swift-sdk"), .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        // The clinic's MCP server of the tests and the README's example: stdio, or streamable HTTP.
        .target(
            name: "ClinicMCP",
            dependencies: [
                .product(name: "MCP", package: "swift-sdk"), .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(name: "ClinicMCPServer", dependencies: ["ClinicMCP"], swiftSettings: strict),
        .target(
            name: "Webhooks",
            dependencies: [
                "CallRecords", "HTTP", "OperatorAPI", "Telemetry",
                .product(name: "Crypto", package: "swift-crypto"), .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "OperatorAPI",
            dependencies: [
                "CallRecords", "Telemetry", "Settings",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "CallOperations",
            dependencies: [
                "ARI", "Calls", "CallRecords", "HTTP", "Recording", "OperatorAPI", "Providers", "Settings", "Telemetry", "Voice",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "ura",
            dependencies: [
                "ARI", "AsteriskSimulator", "Bots", "Calls", "HTTP", "Media", "OfflineSpeech", "Providers", "Settings", "StructuredLogging",
                "Voice", "CallRecords", "CallOperations", "OperatorAPI", "Telemetry", "Flows", "Webhooks", "Tools", "MCPTools", "CallRecordsPostgres",
                "Audio",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),

        // MARK: Offline bot: URA flows, echo brain, pocketsphinx, flite, espeak-ng (issue 7)
        .systemLibrary(
            name: "CPocketSphinx", pkgConfig: "pocketsphinx",
            providers: [.apt(["libpocketsphinx-dev", "pocketsphinx-en-us"])]
        ),
        // flite ships no pkg-config file; its module map names the libraries.
        .systemLibrary(name: "CFlite", providers: [.apt(["flite1-dev"])]),
        .systemLibrary(
            name: "CEspeakNG", pkgConfig: "espeak-ng",
            providers: [.apt(["libespeak-ng-dev"])]
        ),
        .target(name: "Flows", dependencies: ["Voice", "Settings", .product(name: "Yams", package: "Yams")], swiftSettings: strict),
        .target(
            name: "OfflineSpeech",
            dependencies: ["Voice", "Audio", "Media", "CPocketSphinx", "CFlite", "CEspeakNG"],
            swiftSettings: strict
        ),
        .executableTarget(name: "OfflineBench", dependencies: ["OfflineSpeech", "Flows", "Voice", "Media", "Audio", "Randomness"], swiftSettings: strict),
        .testTarget(name: "FlowsTests", dependencies: ["Flows", "Voice", "Settings"], swiftSettings: strict),
        .testTarget(name: "OfflineSpeechTests", dependencies: ["OfflineSpeech", "Voice", "VoiceTesting", "Media", "Audio"], swiftSettings: strict),

        // MARK: Fuzzing (scripts/fuzz): parsers of outside input, under libFuzzer or replaying files
        .target(
            name: "FuzzTargets", dependencies: ["ARI", "Calls", "Flows", "HTTP", "Media", "Providers", "Settings", "Voice"], swiftSettings: strict
        ),
        .executableTarget(name: "Fuzz", dependencies: ["FuzzTargets"], swiftSettings: strict),
        .testTarget(name: "FuzzTests", dependencies: ["FuzzTargets"], swiftSettings: strict),

        // MARK: Tests
        .testTarget(name: "MediaTransportTests", dependencies: ["Media", "Randomness"], swiftSettings: strict),
        .testTarget(name: "HTTPTests", dependencies: ["HTTP", "LoopbackHTTPServer"], swiftSettings: strict),
        .testTarget(name: "ToolsTests", dependencies: ["Tools", "HTTP", "LoopbackHTTPServer"], swiftSettings: strict),
        .testTarget(
            name: "MCPToolsTests", dependencies: ["MCPTools", "Tools", "HTTP", "ClinicMCP", "ClinicMCPServer", "LoopbackHTTPServer"], swiftSettings: strict
        ),
        .testTarget(
            name: "WebhooksTests",
            dependencies: [
                "Webhooks", "CallRecords", "CallRecordsTesting", "HTTP", "LoopbackHTTPServer", "OperatorAPI", "Telemetry",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .testTarget(name: "WebSocketTests", dependencies: ["WebSocket", "LoopbackWebSocketServer"], swiftSettings: strict),
        .testTarget(name: "VoiceTests", dependencies: ["Voice", "VoiceTesting", "Randomness"], swiftSettings: strict),
        .testTarget(
            name: "AsteriskSimulatorTests", dependencies: ["AsteriskSimulator", "HTTP", "WebSocket"], swiftSettings: strict
        ),
        .testTarget(
            name: "CallsTests",
            dependencies: [
                "Audio", "Calls", "Bots", "Providers", "OfflineSpeech", "AsteriskSimulator", "ARI", "HTTP", "LoopbackHTTPServer", "LoopbackWebSocketServer", "Media", "Settings",
                "WebSocket",
                "Voice", "VoiceTesting", "CallsTesting", "CallOperations", "CallRecords", "OperatorAPI", "Webhooks", "Tools", "Flows",
                "MCPTools", "ClinicMCP", "ClinicMCPServer",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .testTarget(name: "SettingsTests", dependencies: ["Settings"], swiftSettings: strict),
        .target(name: "CallRecordsTesting", dependencies: ["CallRecords"], swiftSettings: strict),
        .testTarget(
            name: "CallRecordsTests",
            dependencies: [
                "CallRecords", "CallRecordsPostgres", "CallRecordsTesting",
                .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: strict
        ),
        .target(name: "ProcessTesting", swiftSettings: strict),
        .testTarget(
            name: "OperatorAPITests",
            dependencies: [
                "OperatorAPI", "CallRecords", "CallRecordsTesting", "ProcessTesting", "Telemetry", "HTTP", "Settings",
                .product(name: "Prometheus", package: "swift-prometheus"), .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "ProvidersTests",
            dependencies: [
                "Providers", "Audio", "Voice", "VoiceTesting", "Settings", "HTTP", "LoopbackHTTPServer", "LoopbackWebSocketServer", "Tools",
                .product(name: "NIOSSL", package: "swift-nio-ssl"), .product(name: "_CryptoExtras", package: "swift-crypto"), .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strict
        ),
        .testTarget(name: "MediaTests", dependencies: ["Media", "Audio", "CSpanDSP", "Randomness"], swiftSettings: strict),
        .testTarget(name: "AudioTests", dependencies: ["Audio"], swiftSettings: strict),
        .testTarget(
            name: "RecordingTests", dependencies: ["Recording", "Media", .product(name: "Logging", package: "swift-log")], swiftSettings: strict
        ),
        .testTarget(name: "ARITests", dependencies: ["ARI", "LoopbackHTTPServer", "Randomness", .product(name: "Logging", package: "swift-log")], resources: [.copy("Fixtures")], swiftSettings: strict),
        .testTarget(
            name: "StructuredLoggingTests",
            dependencies: ["StructuredLogging", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict
        ),
        .testTarget(
            name: "DeploymentTests",
            dependencies: [
                "Settings", "ura", "Telemetry", "ProcessTesting", "HTTP", "CallRecordsTesting", "ClinicMCP", "ClinicMCPServer", .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strict
        ),
    ],
    swiftLanguageModes: [.v6]
)
