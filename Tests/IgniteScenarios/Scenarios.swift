import Foundation
import IgniteProtocol
import IgniteTestNode

/// The integration scenarios both products must pass, written once. Each returns what it observed; the product's
/// test asserts on it (``Outcome/failures`` empty, counters as expected).
public enum Scenarios {
    /// What a scenario observed.
    public struct Outcome: Sendable {
        /// Every mismatch or unexpected error, described; empty when the scenario behaved.
        public var failures: [String] = []
        /// Misrouted key requests per test node (three-node scenarios).
        public var misrouted: [Int] = []
        /// The error code a fault produced, if any.
        public var faultError: IgniteError.Code?
        /// Connections each test node accepted.
        public var connectionsAccepted: [Int] = []

        mutating func check(_ condition: Bool, _ what: @autoclosure () -> String) {
            if !condition { failures.append(what()) }
        }
    }

    /// One node: put, get, remove, size over several key types.
    public static func oneNodeKeyValue(_ open: ScenarioClientFactory) async throws -> Outcome {
        let cluster = try ScenarioEnvironment.Cluster()
        defer { cluster.shutdown() }
        let client = try await open(cluster.configuration())
        defer { client.close() }
        let name = ScenarioEnvironment.uniqueName()
        try await client.createCache(CacheConfiguration(name: name))
        var outcome = Outcome()
        for i in 0..<50 {
            try await client.put(name, Int32(i), "i\(i)")
            try await client.put(name, "k\(i)", "s\(i)")
        }
        for i in 0..<50 {
            outcome.check(try await client.get(name, Int32(i)) == "i\(i)", "get Int32 \(i)")
            outcome.check(try await client.get(name, "k\(i)") == "s\(i)", "get String \(i)")
        }
        outcome.check(try await client.size(name) == 100, "size 100")
        outcome.check(try await client.remove(name, Int32(0)), "remove 0")
        outcome.check(try await client.get(name, Int32(0)) == nil, "0 removed")
        try await client.destroyCache(name)
        return outcome
    }

    /// Three nodes with partition awareness: after a warm-up every key operation reaches the key's primary node
    /// (``Outcome/misrouted`` all zero on the test node).
    public static func threeNodesRouteToThePrimary(_ open: ScenarioClientFactory) async throws -> Outcome {
        let cluster = try ScenarioEnvironment.Cluster(nodes: 3)
        defer { cluster.shutdown() }
        let client = try await open(cluster.configuration())
        defer { client.close() }
        var configuration = CacheConfiguration(name: ScenarioEnvironment.uniqueName("swift-scenario-route"))
        configuration.keyConfigurations = [CacheKeyConfiguration(typeName: ScenarioOrderKey.igniteTypeName, affinityKeyFieldName: "customerId")]
        let name = configuration.name ?? ""
        try await client.createCache(configuration)
        try await client.put(name, Int32(-1), "warm-up")
        try await client.put(name, ScenarioOrderKey(orderId: -1, customerId: -1), "warm-up")
        cluster.testCluster?.nodes.forEach { $0.resetCounters() }
        var outcome = Outcome()
        for i in 0..<60 {
            try await client.put(name, Int32(i), "v\(i)")
            outcome.check(try await client.get(name, Int32(i)) == "v\(i)", "get \(i)")
            let order = ScenarioOrderKey(orderId: Int32(i), customerId: Int32(i % 7))
            try await client.put(name, order, "o\(i)")
            outcome.check(try await client.get(name, order) == "o\(i)", "get order \(i)")
            try await client.put(name, UUID(), "u")
        }
        outcome.misrouted = cluster.testCluster?.nodes.map(\.misroutedKeyRequests) ?? []
        outcome.check(cluster.testCluster?.nodes.allSatisfy { $0.keyRequests > 0 } ?? true, "every node served keys")
        try await client.destroyCache(name)
        return outcome
    }

    /// A stalled reply times out at the request timeout; the connection then serves again.
    public static func stalledReply(_ open: ScenarioClientFactory) async throws -> Outcome {
        let cluster = try ScenarioEnvironment.Cluster()
        defer { cluster.shutdown() }
        guard let testCluster = cluster.testCluster else { return Outcome() }
        let client = try await open(cluster.configuration { $0.requestTimeout = .milliseconds(400) })
        defer { client.close() }
        let name = ScenarioEnvironment.uniqueName()
        try await client.createCache(CacheConfiguration(name: name))
        var outcome = Outcome()
        testCluster.inject(.stallReplies)
        do {
            try await client.put(name, Int32(1), "x")
            outcome.failures.append("the stalled put succeeded")
        } catch let error as IgniteError {
            outcome.faultError = error.code
        }
        testCluster.inject(.none)
        try await client.put(name, Int32(2), "y")
        outcome.check(try await client.get(name, Int32(2)) == "y", "served after the stall")
        outcome.connectionsAccepted = testCluster.nodes.map(\.connectionsAccepted)
        return outcome
    }

    /// A garbage or truncated reply fails the request with a typed connection-level error; the client then reconnects.
    public static func brokenFrame(_ fault: TestNodeFault, _ open: ScenarioClientFactory) async throws -> Outcome {
        let cluster = try ScenarioEnvironment.Cluster()
        defer { cluster.shutdown() }
        guard let testCluster = cluster.testCluster else { return Outcome() }
        let client = try await open(cluster.configuration { $0.retryPolicy = nil })
        defer { client.close() }
        let name = ScenarioEnvironment.uniqueName()
        try await client.createCache(CacheConfiguration(name: name))
        var outcome = Outcome()
        testCluster.inject(fault)
        do {
            try await client.put(name, Int32(1), "x")
            outcome.failures.append("the put over a broken frame succeeded")
        } catch let error as IgniteError {
            outcome.faultError = error.code
        }
        testCluster.inject(.none)
        try await client.put(name, Int32(3), "z")
        outcome.check(try await client.get(name, Int32(3)) == "z", "served after reconnecting")
        outcome.connectionsAccepted = testCluster.nodes.map(\.connectionsAccepted)
        return outcome
    }

    /// Wrong credentials fail with ``IgniteError/Code/authentication``; the right ones connect.
    public static func credentials(_ open: ScenarioClientFactory) async throws -> Outcome {
        let password = "pw-\(UUID().uuidString.prefix(8))"
        let cluster = try ScenarioEnvironment.Cluster(users: ["ignite": password])
        defer { cluster.shutdown() }
        var configuration = IgniteClientConfiguration(endpoints: ScenarioEnvironment.realAuth.map { [$0.endpoint] } ?? cluster.endpoints)
        configuration.username = ScenarioEnvironment.realAuth?.user ?? "ignite"
        configuration.password = "wrong-\(password)"
        var outcome = Outcome()
        do {
            let client = try await open(configuration)
            client.close()
            outcome.failures.append("wrong credentials were accepted")
        } catch let error as IgniteError {
            outcome.faultError = error.code
        }
        configuration.password = ScenarioEnvironment.realAuth?.password ?? password
        let client = try await open(configuration)
        client.close()
        return outcome
    }

    /// A node stopped mid-load (with backups): reads keep being answered, retried on the live nodes.
    public static func nodeKilledMidLoad(_ open: ScenarioClientFactory) async throws -> Outcome {
        let cluster = try ScenarioEnvironment.Cluster(nodes: 3)
        defer { cluster.shutdown() }
        guard let testCluster = cluster.testCluster else { return Outcome() }
        let client = try await open(cluster.configuration())
        defer { client.close() }
        var configuration = CacheConfiguration(name: ScenarioEnvironment.uniqueName())
        configuration.backups = 2
        let name = configuration.name ?? ""
        try await client.createCache(configuration)
        for i in 0..<120 { try await client.put(name, Int32(i), "v\(i)") }
        var outcome = Outcome()
        for i in 0..<120 {
            if i == 40 { testCluster.stopNode(1) }
            do {
                outcome.check(try await client.get(name, Int32(i)) == "v\(i)", "read \(i)")
            } catch {
                outcome.failures.append("read \(i): \(error)")
            }
        }
        return outcome
    }
}
