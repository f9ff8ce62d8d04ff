import Foundation
import IgniteAsync
import IgniteTestNode

/// Where the async integration suites run: the in-process test node, or a real cluster when
/// `IGNITE_TEST_ADDRESSES` (comma-separated `host:port`) is set — the same variables as the sync suites
/// (`IGNITE_TEST_AUTH_ADDRESS`, `IGNITE_TEST_USER`, `IGNITE_TEST_PASSWORD` for authentication).
///
/// The scenarios are written against this small surface (a cluster, a configured client, node counters when the
/// test node runs), so that they can move to a test-support target shared with the sync product.
enum AsyncTestEnvironment {
    static let environment = ProcessInfo.processInfo.environment

    /// The real cluster's endpoints, if configured.
    static let realEndpoints: [IgniteEndpoint]? = {
        guard let text = environment["IGNITE_TEST_ADDRESSES"], !text.isEmpty else { return nil }
        return text.split(separator: ",").compactMap { try? IgniteEndpoint(parsing: String($0)) }
    }()

    /// Whether the suites run against a real cluster (fault injection and node counters are then unavailable).
    static var isReal: Bool { realEndpoints != nil }

    /// A real cluster with authentication, when `IGNITE_TEST_AUTH_ADDRESS`, `IGNITE_TEST_USER` and
    /// `IGNITE_TEST_PASSWORD` are all set.
    static let realAuth: (endpoint: IgniteEndpoint, user: String, password: String)? = {
        guard let address = environment["IGNITE_TEST_AUTH_ADDRESS"], !address.isEmpty,
              let endpoint = try? IgniteEndpoint(parsing: address),
              let user = environment["IGNITE_TEST_USER"], let password = environment["IGNITE_TEST_PASSWORD"] else { return nil }
        return (endpoint, user, password)
    }()

    /// A cache name no other test uses.
    static func uniqueName(_ prefix: String = "swift-async") -> String {
        "\(prefix)-\(UUID().uuidString.prefix(8).lowercased())"
    }

    /// A running cluster for one test: fresh test nodes, or the real cluster.
    final class Cluster: @unchecked Sendable {
        let endpoints: [IgniteEndpoint]
        let testCluster: IgniteTestCluster?

        init(nodes: Int = 1, users: [String: String] = [:]) throws {
            if let real = AsyncTestEnvironment.realEndpoints, users.isEmpty {
                endpoints = real
                testCluster = nil
            } else {
                let cluster = try IgniteTestCluster(TestNodeConfiguration(nodeCount: nodes, users: users))
                testCluster = cluster
                endpoints = cluster.endpoints
            }
        }

        func configuration(_ configure: (inout IgniteClientConfiguration) -> Void = { _ in }) -> IgniteClientConfiguration {
            var configuration = IgniteClientConfiguration(endpoints: endpoints)
            configuration.requestTimeout = .seconds(60)
            configure(&configuration)
            return configuration
        }

        func client(_ configure: (inout IgniteClientConfiguration) -> Void = { _ in }) async throws -> IgniteClient {
            try await IgniteClient(configuration: configuration(configure))
        }

        func shutdown() { testCluster?.shutdown() }
    }
}

/// Waits (bounded) until `condition` holds, checking every few milliseconds; returns whether it held. Used only to
/// wait for something asynchronous to have happened, never to measure time.
func eventuallyTrue(_ condition: () -> Bool) async -> Bool {
    for _ in 0..<4000 {
        if condition() { return true }
        try? await Task.sleep(for: .milliseconds(5))
    }
    return condition()
}
