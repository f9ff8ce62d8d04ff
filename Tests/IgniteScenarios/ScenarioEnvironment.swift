import Foundation
import IgniteProtocol
import IgniteTestNode

/// Where the shared scenarios run: fresh test nodes, or a real cluster when `IGNITE_TEST_ADDRESSES`
/// (comma-separated `host:port`) is set; `IGNITE_TEST_AUTH_ADDRESS`, `IGNITE_TEST_USER` and `IGNITE_TEST_PASSWORD`
/// name a real cluster with authentication. The same variables as every integration suite.
public enum ScenarioEnvironment {
    static let environment = ProcessInfo.processInfo.environment

    /// The real cluster's endpoints, if configured.
    public static let realEndpoints: [IgniteEndpoint]? = {
        guard let text = environment["IGNITE_TEST_ADDRESSES"], !text.isEmpty else { return nil }
        return text.split(separator: ",").compactMap { try? IgniteEndpoint(parsing: String($0)) }
    }()

    /// Whether the scenarios run against a real cluster (fault injection and node counters are then unavailable).
    public static var isReal: Bool { realEndpoints != nil }

    /// A real cluster with authentication, if configured.
    public static let realAuth: (endpoint: IgniteEndpoint, user: String, password: String)? = {
        guard let address = environment["IGNITE_TEST_AUTH_ADDRESS"], !address.isEmpty,
              let endpoint = try? IgniteEndpoint(parsing: address),
              let user = environment["IGNITE_TEST_USER"], let password = environment["IGNITE_TEST_PASSWORD"] else { return nil }
        return (endpoint, user, password)
    }()

    /// A cache name no other test uses.
    public static func uniqueName(_ prefix: String = "swift-scenario") -> String {
        "\(prefix)-\(UUID().uuidString.prefix(8).lowercased())"
    }

    /// A cluster for one scenario: test nodes, or the real cluster (when no users are asked for).
    public final class Cluster: @unchecked Sendable {
        public let endpoints: [IgniteEndpoint]
        public let testCluster: IgniteTestCluster?

        public init(nodes: Int = 1, users: [String: String] = [:]) throws {
            if let real = ScenarioEnvironment.realEndpoints, users.isEmpty {
                endpoints = real
                testCluster = nil
            } else {
                let cluster = try IgniteTestCluster(TestNodeConfiguration(nodeCount: nodes, users: users))
                testCluster = cluster
                endpoints = cluster.endpoints
            }
        }

        /// The scenarios' client configuration (a 60 s request timeout unless `configure` says otherwise).
        public func configuration(_ configure: (inout IgniteClientConfiguration) -> Void = { _ in }) -> IgniteClientConfiguration {
            var configuration = IgniteClientConfiguration(endpoints: endpoints)
            configuration.requestTimeout = .seconds(60)
            configure(&configuration)
            return configuration
        }

        public func shutdown() { testCluster?.shutdown() }
    }
}
