import Foundation
import IgniteProtocol
import IgniteSync
import IgniteTestNode
import Testing

/// Cluster discovery (OP_CLUSTER_GROUP_GET_NODE_ENDPOINTS): one configured address, every node connected.
@Suite("Cluster discovery", .serialized)
struct ClusterDiscoveryTests {
    /// Waits (bounded) until `condition` holds; the test then asserts the state, not the time it took.
    static func eventually(_ seconds: Double = 15, _ condition: () -> Bool) {
        let deadline = Date().addingTimeInterval(seconds)
        while !condition(), Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
    }

    @Test func oneAddressConnectsToEveryNodeAndRoutesKeys() throws {
        let cluster = try TestEnvironment.Cluster(nodes: 3)
        defer { cluster.shutdown() }
        let expected = TestEnvironment.isReal ? cluster.endpoints.count : 3
        let client = try IgniteClient(configuration: {
            var configuration = IgniteClientConfiguration(endpoints: [cluster.endpoints[0]])
            configuration.requestTimeout = .seconds(60)
            return configuration
        }())
        defer { client.close() }
        #expect(Set(client.connectedNodeIds).count >= expected)
        if let nodes = cluster.testCluster?.nodes {
            #expect(Set(client.connectedNodeIds) == Set(nodes.map(\.nodeId)))
        }
        let cache = try client.createCache(TestEnvironment.uniqueName("swift-discovery"))
        defer { try? cache.destroy() }
        try cache.put(Int32(-1), "warm-up")
        cluster.testCluster?.nodes.forEach { $0.resetCounters() }
        for i in 0..<60 { try cache.put(Int32(i), "v\(i)") }
        for i in 0..<60 { #expect(try cache.get(Int32(i), as: String.self) == "v\(i)") }
        if let nodes = cluster.testCluster?.nodes {
            #expect(nodes.map(\.misroutedKeyRequests) == [0, 0, 0])
            #expect(nodes.allSatisfy { $0.keyRequests > 0 }, "keys reached every node")
        }
    }

    @Test func disabledDiscoveryDialsOnlyTheConfiguredAddress() throws {
        let cluster = try TestEnvironment.Cluster(nodes: 3)
        defer { cluster.shutdown() }
        let client = try IgniteClient(configuration: {
            var configuration = IgniteClientConfiguration(endpoints: [cluster.endpoints[0]])
            configuration.clusterDiscovery = .disabled
            return configuration
        }())
        defer { client.close() }
        #expect(client.connectedNodeIds.count == 1)
        if let nodes = cluster.testCluster?.nodes {
            #expect(nodes[0].requestCount(.clusterGroupGetNodeEndpoints) == 0)
            #expect(nodes[1].connectionsAccepted == 0 && nodes[2].connectionsAccepted == 0)
        }
    }

    @Test func excludedAddressesAreNeverDialled() throws {
        guard !TestEnvironment.isReal else { return }
        let cluster = try TestEnvironment.Cluster(nodes: 3)
        defer { cluster.shutdown() }
        guard let nodes = cluster.testCluster?.nodes else { return }
        let excluded = nodes[2].endpoint
        let client = try IgniteClient(configuration: {
            var configuration = IgniteClientConfiguration(endpoints: [cluster.endpoints[0]])
            configuration.clusterDiscovery = .only { $0 != excluded }
            return configuration
        }())
        defer { client.close() }
        #expect(Set(client.connectedNodeIds) == Set([nodes[0].nodeId, nodes[1].nodeId]))
        #expect(nodes[2].connectionsAccepted == 0)
        // Keys owned by the excluded node still work (through another node).
        let cache = try client.createCache(TestEnvironment.uniqueName("swift-discovery-excl"))
        defer { try? cache.destroy() }
        for i in 0..<30 { try cache.put(Int32(i), Int64(i)) }
        #expect(try cache.size() == 30)
        #expect(nodes[2].connectionsAccepted == 0)
    }

    @Test func joiningAndLeavingNodesAreFollowed() throws {
        guard !TestEnvironment.isReal else { return }
        let cluster = try TestEnvironment.Cluster(nodes: 2)
        defer { cluster.shutdown() }
        guard let test = cluster.testCluster else { return }
        let client = try IgniteClient(configuration: IgniteClientConfiguration(endpoints: [cluster.endpoints[0]]))
        defer { client.close() }
        #expect(client.connectedNodeIds.count == 2)
        let cache = try client.createCache(TestEnvironment.uniqueName("swift-discovery-join"))
        defer { try? cache.destroy() }
        let joined = try test.addNode()
        // A response carrying the new topology version makes the client ask for endpoints again.
        Self.eventually {
            _ = try? cache.put(Int32(1), "x")
            return client.connectedNodeIds.contains(joined.nodeId)
        }
        #expect(client.connectedNodeIds.contains(joined.nodeId))
        #expect(joined.connectionsAccepted >= 1)
        test.stopNode(joined.index)
        Self.eventually {
            _ = try? cache.put(Int32(2), "y")
            return !client.connectedNodeIds.contains(joined.nodeId)
        }
        #expect(!client.connectedNodeIds.contains(joined.nodeId))
        for i in 0..<20 { try cache.put(Int32(i), "z") }
        #expect(try cache.get(Int32(3), as: String.self) == "z")
    }
}
