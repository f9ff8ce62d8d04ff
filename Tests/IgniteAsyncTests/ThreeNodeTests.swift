import Foundation
import IgniteAsync
import IgniteTestNode
import Testing

/// A key type whose partition is decided by one field (configured on the cache as its affinity key).
struct OrderKey: IgniteObjectCodable, Hashable {
    var orderId: Int32
    var customerId: Int32
    static var igniteTypeName: String { "swift.async.OrderKey" }
}

@Suite("IgniteAsync on three nodes", .timeLimit(.minutes(10)))
struct AsyncThreeNodeTests {
    @Test func everyKeyOperationGoesToThePrimaryNodeUnderConcurrency() async throws {
        let cluster = try AsyncTestEnvironment.Cluster(nodes: 3)
        defer { cluster.shutdown() }
        let client = try await cluster.client()
        defer { client.close() }
        var configuration = CacheConfiguration(name: AsyncTestEnvironment.uniqueName("swift-async-route"))
        configuration.keyConfigurations = [CacheKeyConfiguration(typeName: OrderKey.igniteTypeName, affinityKeyFieldName: "customerId")]
        let cache = try await client.createCache(configuration)
        // Warm up: the partition map is fetched by the first key operation; reset the counters after it.
        try await cache.put(Int32(-1), "warm-up")
        try await cache.put(OrderKey(orderId: -1, customerId: -1), "warm-up")
        cluster.testCluster?.nodes.forEach { $0.resetCounters() }
        let operations = try await withThrowingTaskGroup(of: Int.self) { group in
            for i in 0..<300 {
                group.addTask {
                    let key = Int32(i)
                    try await cache.put(key, "v\(i)")
                    #expect(try await cache.get(key, as: String.self) == "v\(i)")
                    let order = OrderKey(orderId: Int32(i), customerId: Int32(i % 11))
                    try await cache.put(order, Int64(i))
                    #expect(try await cache.getAndRemove(order, as: Int64.self) == Int64(i))
                    try await cache.put("s\(i)", UUID())
                    #expect(try await cache.containsKey("s\(i)"))
                    return 6
                }
            }
            return try await group.reduce(0, +)
        }
        if let nodes = cluster.testCluster?.nodes {
            #expect(nodes.map(\.misroutedKeyRequests) == [0, 0, 0])
            #expect(nodes.allSatisfy { $0.keyRequests > 0 })
            #expect(nodes.map(\.keyRequests).reduce(0, +) == operations)
            #expect(nodes.allSatisfy { $0.connectionsAccepted == 1 })
        }
        try await cache.destroy()
    }

    @Test func concurrentFirstKeysWaitForOneMapFetch() async throws {
        let cluster = try AsyncTestEnvironment.Cluster(nodes: 3)
        defer { cluster.shutdown() }
        let client = try await cluster.client()
        defer { client.close() }
        let cache = try await client.createCache(AsyncTestEnvironment.uniqueName())
        cluster.testCluster?.nodes.forEach { $0.resetCounters() }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for i in 0..<200 { group.addTask { try await cache.put(Int32(i), Int32(i)) } }
            try await group.waitForAll()
        }
        if let nodes = cluster.testCluster?.nodes {
            // Single flight: one OP_CACHE_PARTITIONS, and every put waited for it, so none was misrouted.
            #expect(nodes.map { $0.requestCount(.cachePartitions) }.reduce(0, +) == 1)
            #expect(nodes.map(\.misroutedKeyRequests) == [0, 0, 0])
        }
        try await cache.destroy()
    }

    @Test(.disabled(if: AsyncTestEnvironment.isReal, "stops a test node"))
    func aNodeKilledMidLoadLeavesEveryReadAnswered() async throws {
        let cluster = try AsyncTestEnvironment.Cluster(nodes: 3)
        defer { cluster.shutdown() }
        let testCluster = try #require(cluster.testCluster)
        let client = try await cluster.client()
        defer { client.close() }
        var configuration = CacheConfiguration(name: AsyncTestEnvironment.uniqueName())
        configuration.backups = 2
        let cache = try await client.createCache(configuration)
        for i in 0..<200 { try await cache.put(Int32(i), Int32(i)) }
        let outcomes = try await withThrowingTaskGroup(of: Bool.self) { group in
            for round in 0..<20 {
                group.addTask {
                    var ok = true
                    for i in 0..<200 where i % 20 == round {
                        do {
                            ok = try await cache.get(Int32(i), as: Int32.self) == Int32(i) && ok
                        } catch {
                            ok = false
                        }
                    }
                    return ok
                }
                if round == 5 { testCluster.stopNode(1) }
            }
            return try await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        // Reads are retried on another node (the default retry policy), so none fails.
        #expect(outcomes.allSatisfy { $0 })
        #expect(client.connectedNodeIds.count == 2)
        #expect(try await cache.get(Int32(7), as: Int32.self) == 7)
    }
}
