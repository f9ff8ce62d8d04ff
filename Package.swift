// swift-tools-version: 6.0
// swift-ignite: a Swift thin client for Apache Ignite 2.x and GridGain 8.
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "swift-ignite",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "IgniteBinary", targets: ["IgniteBinary"]),
        .library(name: "IgniteProtocol", targets: ["IgniteProtocol"]),
    ],
    targets: [
        // The pure binary-object codec: values, complex objects, hash codes. No I/O.
        .target(name: "IgniteBinary", swiftSettings: strict),
        // The protocol: messages, handshake, op codes, state machines, affinity math. No I/O.
        .target(name: "IgniteProtocol", dependencies: ["IgniteBinary"], swiftSettings: strict),
        .testTarget(
            name: "IgniteBinaryTests",
            dependencies: ["IgniteBinary"],
            path: "Tests/IgniteBinaryTests",
            swiftSettings: strict
        ),
    ],
    swiftLanguageModes: [.v6]
)
