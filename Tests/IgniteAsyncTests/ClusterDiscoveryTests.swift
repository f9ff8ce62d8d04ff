import Foundation
import IgniteAsync
import IgniteTestNode
import Testing

/// Cluster discovery in the async product: one configured address, every node connected, joins and leaves followed.
@Suite("IgniteAsync cluster discovery", .timeLimit(.minutes(10)))
struct AsyncClusterDiscoveryTests {
    @Test func oneAddressConnectsToEveryNodeAndRoutesKeys() async throws {
        let cluster = try AsyncTestEnvironment.Cluster(nodes: 3)
        defer { cluster.shutdown() }
        let client = try await IgniteClient(configuration: IgniteClientConfiguration(endpoints: [cluster.endpoints[0]]))
        defer { client.close() }
        #expect(Set(client.connectedNodeIds).count >= (AsyncTestEnvironment.isReal ? cluster.endpoints.count : 3))
        let cache = try await client.createCache(AsyncTestEnvironment.uniqueName("swift-async-discovery"))
        try await cache.put(Int32(-1), "warm-up")
        cluster.testCluster?.nodes.forEach { $0.resetCounters() }
        for i in 0..<60 { try await cache.put(Int32(i), "v\(i)") }
        for i in 0..<60 { #expect(try await cache.get(Int32(i), as: String.self) == "v\(i)") }
        if let nodes = cluster.testCluster?.nodes {
            #expect(nodes.map(\.misroutedKeyRequests) == [0, 0, 0])
            #expect(nodes.allSatisfy { $0.keyRequests > 0 })
        }
        try await cache.destroy()
    }

    @Test func disabledOrFilteredDiscoveryDialsNothingElse() async throws {
        guard !AsyncTestEnvironment.isReal else { return }
        let cluster = try AsyncTestEnvironment.Cluster(nodes: 3)
        defer { cluster.shutdown() }
        guard let nodes = cluster.testCluster?.nodes else { return }
        let off = try await IgniteClient(configuration: {
            var configuration = IgniteClientConfiguration(endpoints: [cluster.endpoints[0]])
            configuration.clusterDiscovery = .disabled
            return configuration
        }())
        #expect(off.connectedNodeIds.count == 1)
        off.close()
        let excluded = nodes[1].endpoint
        let filtered = try await IgniteClient(configuration: {
            var configuration = IgniteClientConfiguration(endpoints: [cluster.endpoints[0]])
            configuration.clusterDiscovery = .only { $0 != excluded }
            return configuration
        }())
        defer { filtered.close() }
        #expect(Set(filtered.connectedNodeIds) == Set([nodes[0].nodeId, nodes[2].nodeId]))
        #expect(nodes[1].connectionsAccepted == 0)
    }

    @Test func joiningAndLeavingNodesAreFollowed() async throws {
        guard !AsyncTestEnvironment.isReal else { return }
        let cluster = try AsyncTestEnvironment.Cluster(nodes: 2)
        defer { cluster.shutdown() }
        guard let test = cluster.testCluster else { return }
        let client = try await IgniteClient(configuration: IgniteClientConfiguration(endpoints: [cluster.endpoints[0]]))
        defer { client.close() }
        #expect(client.connectedNodeIds.count == 2)
        let cache = try await client.createCache(AsyncTestEnvironment.uniqueName("swift-async-join"))
        let joined = try test.addNode()
        var seen = false
        for _ in 0..<750 where !seen {
            _ = try? await cache.put(Int32(1), "x")
            seen = client.connectedNodeIds.contains(joined.nodeId)
            if !seen { try await Task.sleep(for: .milliseconds(20)) }
        }
        #expect(seen)
        test.stopNode(joined.index)
        var gone = false
        for _ in 0..<750 where !gone {
            _ = try? await cache.put(Int32(2), "y")
            gone = !client.connectedNodeIds.contains(joined.nodeId)
            if !gone { try await Task.sleep(for: .milliseconds(20)) }
        }
        #expect(gone)
        for i in 0..<20 { try await cache.put(Int32(i), "z") }
        #expect(try await cache.get(Int32(3), as: String.self) == "z")
    }
}
