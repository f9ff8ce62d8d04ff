import Foundation
import IgniteProtocol
import IgniteSync
import IgniteTestNode

/// Where the integration suites run: the in-process test node, or a real cluster when
/// `IGNITE_TEST_ADDRESSES` (comma-separated `host:port`) is set. Auth suites use `IGNITE_TEST_AUTH_ADDRESS`,
/// `IGNITE_TEST_USER` and `IGNITE_TEST_PASSWORD` when set.
enum TestEnvironment {
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

    /// A cluster that requires authentication, for one test: the real one from `IGNITE_TEST_AUTH_*`, else a test node
    /// with one user. `nil` when the suites run against a real cluster without an authentication address (a real
    /// cluster's users cannot be made up).
    static func authCluster() throws -> (endpoints: [IgniteEndpoint], user: String, password: String, testCluster: IgniteTestCluster?)? {
        if let auth = realAuth { return ([auth.endpoint], auth.user, auth.password, nil) }
        guard !isReal else { return nil }
        let password = "pw-\(UUID().uuidString.prefix(12))"
        let cluster = try IgniteTestCluster(TestNodeConfiguration(nodeCount: 1, users: ["ignite": password]))
        return (cluster.endpoints, "ignite", password, cluster)
    }

    /// A cache name no other test uses.
    static func uniqueName(_ prefix: String = "swift-test") -> String {
        "\(prefix)-\(UUID().uuidString.prefix(8).lowercased())"
    }

    /// A running cluster for one test: a fresh test node, or the real cluster.
    final class Cluster: @unchecked Sendable {
        let endpoints: [IgniteEndpoint]
        let testCluster: IgniteTestCluster?

        init(nodes: Int = 1, users: [String: String] = [:]) throws {
            if let real = TestEnvironment.realEndpoints {
                endpoints = real
                testCluster = nil
            } else {
                let cluster = try IgniteTestCluster(TestNodeConfiguration(nodeCount: nodes, users: users))
                testCluster = cluster
                endpoints = cluster.endpoints
            }
        }

        func client(_ configure: (inout IgniteClientConfiguration) -> Void = { _ in }) throws -> IgniteClient {
            var configuration = IgniteClientConfiguration(endpoints: endpoints)
            configuration.requestTimeout = .seconds(60)
            configure(&configuration)
            return try IgniteClient(configuration: configuration)
        }

        func shutdown() { testCluster?.shutdown() }
    }

    /// Runs `body` with a cluster and a client; destroys nothing by itself (tests destroy their caches).
    static func withClient<T>(nodes: Int = 1, _ configure: (inout IgniteClientConfiguration) -> Void = { _ in },
                              _ body: (IgniteClient, Cluster) throws -> T) throws -> T {
        let cluster = try Cluster(nodes: nodes)
        defer { cluster.shutdown() }
        let client = try cluster.client(configure)
        defer { client.close() }
        return try body(client, cluster)
    }

    /// Runs `body` with a new uniquely named cache, destroyed afterwards.
    static func withCache<T>(nodes: Int = 1, _ configure: (inout IgniteClientConfiguration) -> Void = { _ in },
                             _ body: (IgniteCache, IgniteClient, Cluster) throws -> T) throws -> T {
        try withClient(nodes: nodes, configure) { client, cluster in
            let cache = try client.createCache(uniqueName())
            defer { try? cache.destroy() }
            return try body(cache, client, cluster)
        }
    }
}
