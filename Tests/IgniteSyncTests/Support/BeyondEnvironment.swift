import Foundation
import IgniteProtocol
import IgniteSync
import IgniteTestNode

/// Compute and services need server-side code: the test node's built-in task and service, or on a real cluster the
/// task named by `IGNITE_TEST_COMPUTE_TASK` (returns its argument: one job returning the argument, and a `reduce`
/// returning `results.get(0).getData()`, so that with NO_RESULT_CACHE it fails as the test node's echo task does) and the service named by `IGNITE_TEST_SERVICE`
/// (has `echo(Object)`). Without them the real-cluster tests are skipped with that reason. The real cluster must
/// allow at least 64 active compute tasks per connection (`ThinClientConfiguration.maxActiveComputeTasksPerConnection`):
/// the concurrency tests keep up to 64 tasks in flight on one connection.
enum BeyondEnvironment {
    /// The echo task's class name, or `nil` on a real cluster without `IGNITE_TEST_COMPUTE_TASK`.
    static var echoTask: String? {
        guard TestEnvironment.isReal else { return TestNodeTasks.echo }
        return TestEnvironment.environment["IGNITE_TEST_COMPUTE_TASK"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The echo service's name, or `nil` on a real cluster without `IGNITE_TEST_SERVICE`.
    static var echoService: String? {
        guard TestEnvironment.isReal else { return TestNodeServices.echo }
        return TestEnvironment.environment["IGNITE_TEST_SERVICE"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// An object argument of a made-up class (`prefix` and a unique suffix) that no server has: encoding the builder
    /// records its type, so the client must register the class name before sending it.
    static func unknownClassArgument(_ prefix: String) -> (className: String, argument: BinaryObjectBuilder) {
        let className = "org.swiftignite.\(prefix)\(UUID().uuidString.prefix(8))"
        var builder = BinaryObjectBuilder(typeName: className)
        builder.setField("x", .int(7))
        return (className, builder)   // a builder, not a built BinaryObject, which is sent as is
    }

    static let computeSkipReason = "real cluster without IGNITE_TEST_COMPUTE_TASK (a deployed task returning its argument)"
    static let serviceSkipReason = "real cluster without IGNITE_TEST_SERVICE (a deployed service with echo(Object))"

    /// Runs `body` with a client of a cluster whose thin-client compute is enabled (test node: 8 tasks per
    /// connection; a real cluster must be configured so).
    static func withClient<T>(nodes: Int = 1, computeEnabled: Bool = true,
                              configure: (inout IgniteClientConfiguration) -> Void = { _ in },
                              _ body: (IgniteClient, IgniteTestCluster?) throws -> T) throws -> T {
        var testCluster: IgniteTestCluster?
        let endpoints: [IgniteEndpoint]
        if let real = TestEnvironment.realEndpoints {
            endpoints = real
        } else {
            var configuration = TestNodeConfiguration(nodeCount: nodes)
            configuration.maxActiveComputeTasksPerConnection = computeEnabled ? 8 : 0
            let cluster = try IgniteTestCluster(configuration)
            testCluster = cluster
            endpoints = cluster.endpoints
        }
        defer { testCluster?.shutdown() }
        var configuration = IgniteClientConfiguration(endpoints: endpoints)
        configuration.requestTimeout = .seconds(60)
        configure(&configuration)
        let client = try IgniteClient(configuration: configuration)
        defer { client.close() }
        return try body(client, testCluster)
    }
}
