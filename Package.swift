// swift-tools-version: 6.0
// swift-ignite: a Swift thin client for Apache Ignite 2.x and GridGain 8.
// Toolchain and system C libraries only: no third-party Swift packages.
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "swift-ignite",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "IgniteTesting", targets: ["IgniteTesting"]),   // for applications' test targets (Docs/TESTING.md)
        .library(name: "IgniteBinary", targets: ["IgniteBinary"]),
        .library(name: "IgniteProtocol", targets: ["IgniteProtocol"]),
        .library(name: "IgniteSync", targets: ["IgniteSync"]),
        .library(name: "IgniteTLS", targets: ["IgniteTLS"]),
        .library(name: "IgniteAsync", targets: ["IgniteAsync"]),
        .executable(name: "ignite-test-node", targets: ["IgniteTestNodeMain"]),
        .executable(name: "ignite-demo", targets: ["IgniteDemo"]),
        .executable(name: "ignite-codec-bench", targets: ["CodecBenchmark"]),
        .executable(name: "ignite-sync-bench", targets: ["SyncBenchmark"]),
        .executable(name: "ignite-async-bench", targets: ["AsyncBenchmark"]),
        .executable(name: "ignite-stream-bench", targets: ["StreamerBenchmark"]),
        .executable(name: "ignite-examples", targets: ["IgniteExamples"]),
        .executable(name: "ignite-examples-async", targets: ["IgniteAsyncExamples"]),
    ],
    targets: [
        // Core: pure values, no I/O.
        .target(name: "IgniteBinary", swiftSettings: strict),
        .target(name: "IgniteProtocol", dependencies: ["IgniteBinary"], swiftSettings: strict),

        // Transport: POSIX TCP sockets, the blocking IgniteTransport contract and the blocking driver of any
        // IgniteSecureSession (IgniteProtocol's sans-IO security layer).
        .systemLibrary(name: "CIgniteAtomics", path: "Sources/CIgniteAtomics"),  // C11 atomics, header only
        .target(name: "IgniteSockets", dependencies: ["IgniteProtocol", "CIgniteAtomics"], swiftSettings: strict),
        // Security layer: TLS over system OpenSSL 3 (libssl-dev, found with pkg-config), through the C shim; a sans-IO
        // IgniteSecureSession that every driver runs.
        .systemLibrary(name: "CIgniteOpenSSL", path: "Sources/CIgniteOpenSSL", pkgConfig: "openssl",
                       providers: [.apt(["libssl-dev"]), .brew(["openssl@3"])]),
        .target(name: "IgniteTLS", dependencies: ["IgniteProtocol", "CIgniteOpenSSL"], swiftSettings: strict),

        // Products.
        .target(name: "IgniteSync", dependencies: ["IgniteProtocol", "IgniteSockets"], swiftSettings: strict),
        .systemLibrary(name: "CIgniteAsyncSystem", path: "Sources/CIgniteAsyncSystem"),  // epoll and eventfd headers
        // Debug builds (the tests, ThreadSanitizer runs) resume requests through checked continuations, which catch a
        // double resume and give ThreadSanitizer the hand-over it can see; release builds use unchecked ones (no
        // allocation per request). See `AsyncConnection.ResponseContinuation`.
        .target(name: "IgniteAsync", dependencies: ["IgniteProtocol", "CIgniteAsyncSystem"],
                swiftSettings: strict + [.define("IGNITE_CHECKED_CONTINUATIONS", .when(configuration: .debug))]),

        // The test node: an in-process Ignite protocol emulator (a test instrument, not a product).
        // Its SQL engine runs on system SQLite (libsqlite3-dev, found with pkg-config), through the C shim.
        .systemLibrary(name: "CIgniteSQLite", path: "Sources/CIgniteSQLite", pkgConfig: "sqlite3",
                       providers: [.apt(["libsqlite3-dev"]), .brew(["sqlite"])]),
        .target(name: "IgniteTestNode", dependencies: ["IgniteProtocol", "CIgniteSQLite"], path: "Tests/IgniteTestNode", exclude: ["README.md"], swiftSettings: strict),
        .target(name: "IgniteTesting", dependencies: ["IgniteSync", "IgniteTestNode"], swiftSettings: strict),
        .executableTarget(name: "IgniteTestNodeMain", dependencies: ["IgniteTestNode"], path: "Tests/IgniteTestNodeMain", swiftSettings: strict),

        // Examples and benchmarks.
        .executableTarget(name: "IgniteDemo", dependencies: ["IgniteSync", "IgniteTestNode"], path: "Examples/Demo", swiftSettings: strict),
        .executableTarget(name: "CodecBenchmark", dependencies: ["IgniteBinary"], path: "Examples/Benchmarks/CodecBenchmark", swiftSettings: strict),
        .executableTarget(name: "SyncBenchmark", dependencies: ["IgniteSync", "IgniteProtocol", "IgniteTestNode"], path: "Examples/Benchmarks/SyncBenchmark", swiftSettings: strict),
        .executableTarget(name: "StreamerBenchmark", dependencies: ["IgniteSync", "IgniteTestNode"],
                          path: "Examples/Benchmarks/StreamerBenchmark", swiftSettings: strict),
        .executableTarget(name: "AsyncBenchmark", dependencies: ["IgniteAsync", "IgniteSync", "IgniteTestNode"],
                          path: "Examples/Benchmarks/AsyncBenchmark", swiftSettings: strict),

        // pyignite's examples in Swift (Examples/README.md): one executable per product, one subcommand per example.
        .target(name: "IgniteExampleSupport", dependencies: ["IgniteProtocol", "IgniteTLS", "IgniteTesting"], path: "Examples/Support", swiftSettings: strict),
        .executableTarget(name: "IgniteExamples", dependencies: ["IgniteSync", "IgniteTLS", "IgniteExampleSupport"], path: "Examples/Sync", swiftSettings: strict),
        .executableTarget(name: "IgniteAsyncExamples", dependencies: ["IgniteAsync", "IgniteTLS", "IgniteExampleSupport"], path: "Examples/Async", swiftSettings: strict),

        // Tests.
        .testTarget(name: "IgniteBinaryTests", dependencies: ["IgniteBinary"], swiftSettings: strict),
        .testTarget(name: "IgniteTestingTests", dependencies: ["IgniteTesting"], swiftSettings: strict),
        .testTarget(name: "IgniteProtocolTests", dependencies: ["IgniteProtocol"], swiftSettings: strict),
        .testTarget(name: "IgniteTestNodeTests", dependencies: ["IgniteTestNode", "IgniteSockets", "IgniteSync"], swiftSettings: strict),
        // The integration scenarios both products run (one copy).
        .target(name: "IgniteScenarios", dependencies: ["IgniteProtocol", "IgniteTestNode"], path: "Tests/IgniteScenarios", swiftSettings: strict),
        .testTarget(name: "IgniteAsyncTests", dependencies: ["IgniteAsync", "IgniteTestNode", "IgniteScenarios"], swiftSettings: strict),
        .testTarget(name: "IgniteSyncTests", dependencies: ["IgniteSync", "IgniteTestNode", "IgniteScenarios"], swiftSettings: strict),
        .testTarget(name: "IgniteTLSTests", dependencies: ["IgniteTLS", "IgniteAsync", "IgniteSockets", "IgniteSync", "IgniteTestNode"],
                    exclude: ["Certificates"], swiftSettings: strict),
    ],
    swiftLanguageModes: [.v6]
)
