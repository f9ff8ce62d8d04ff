import Foundation
import IgniteAsync
import IgniteTestNode
import Testing

@Suite("IgniteAsync cursors and faults", .timeLimit(.minutes(10)))
struct AsyncCursorAndFaultTests {
    /// Fills a new cache with `count` Int32 → Int32 entries.
    private static func filledCache(_ client: IgniteClient, count: Int) async throws -> IgniteCache {
        let cache = try await client.createCache(AsyncTestEnvironment.uniqueName())
        var entries: [Int32: Int32] = [:]
        for i in 0..<Int32(count) { entries[i] = i * 10 }
        try await cache.putAll(entries)
        return cache
    }

    @Test func aScanIsReadWholeWithPrefetchedPages() async throws {
        let cluster = try AsyncTestEnvironment.Cluster()
        defer { cluster.shutdown() }
        let client = try await cluster.client()
        defer { client.close() }
        let cache = try await Self.filledCache(client, count: 1000)
        var keys = Set<Int32>()
        for try await (key, value) in try await cache.scan(pageSize: 64, keyType: Int32.self, valueType: Int32.self) {
            #expect(value == key * 10)
            keys.insert(key)
        }
        #expect(keys.count == 1000)
        try await cache.destroy()
    }

    @Test(.disabled(if: AsyncTestEnvironment.isReal, "counts requests on the test node"))
    func cursorsAbandonedByBreakAreClosedOnTheServer() async throws {
        let cluster = try AsyncTestEnvironment.Cluster()
        defer { cluster.shutdown() }
        let node = try #require(cluster.testCluster?.nodes.first)
        let client = try await cluster.client()
        defer { client.close() }
        let cache = try await Self.filledCache(client, count: 100)
        // More abandoned cursors than the node allows open per connection (128): only released cursors make room.
        for _ in 0..<150 {
            var taken = 0
            for try await _ in try await cache.scan(pageSize: 10, keyType: Int32.self, valueType: Int32.self) {
                taken += 1
                if taken == 3 { break }
            }
            #expect(taken == 3)
        }
        #expect(await eventuallyTrue { node.requestCount(.resourceClose) == 150 })
        #expect(try await cache.size() == 100)
        #expect(node.connectionsAccepted == 1)
    }

    @Test(.disabled(if: AsyncTestEnvironment.isReal, "needs the test node's fault injection"))
    func cancellingAScanMidPageClosesTheServerCursorAndTheConnectionStillServes() async throws {
        let cluster = try AsyncTestEnvironment.Cluster()
        defer { cluster.shutdown() }
        let testCluster = try #require(cluster.testCluster)
        let node = try #require(testCluster.nodes.first)
        let client = try await cluster.client()
        defer { client.close() }
        let cache = try await Self.filledCache(client, count: 100)
        let cursor = try await cache.scan(pageSize: 10, keyType: Int32.self, valueType: Int32.self)
        // The first page is here and the second is being prefetched; stall the replies and consume past the page.
        testCluster.inject(.stallReplies)
        let consumer = Task {
            var count = 0
            for try await _ in cursor { count += 1 }
            return count
        }
        #expect(await eventuallyTrue { node.requestCount(.queryScanCursorGetPage) >= 1 })
        consumer.cancel()
        let error = await #expect(throws: IgniteError.self) { _ = try await consumer.value }
        #expect(error?.code == .cancelled)
        testCluster.inject(.none)
        // The cursor was closed: OP_RESOURCE_CLOSE goes out (with the next request at the latest).
        #expect(try await cache.get(Int32(5), as: Int32.self) == 50)
        #expect(await eventuallyTrue { node.requestCount(.resourceClose) == 1 })
        #expect(node.connectionsAccepted == 1)
    }

    @Test(.disabled(if: AsyncTestEnvironment.isReal, "needs the test node's fault injection"))
    func aStalledReplyHitsTheRequestTimeout() async throws {
        let cluster = try AsyncTestEnvironment.Cluster()
        defer { cluster.shutdown() }
        let testCluster = try #require(cluster.testCluster)
        let client = try await cluster.client { $0.requestTimeout = .milliseconds(1500) }
        defer { client.close() }
        let cache = try await client.createCache(AsyncTestEnvironment.uniqueName())
        testCluster.inject(.stallReplies)
        let error = await #expect(throws: IgniteError.self) { try await cache.put(1, 1) }
        #expect(error?.code == .timeout)
        testCluster.inject(.none)
        try await cache.put(2, 2)
        #expect(try await cache.get(2, as: Int.self) == 2)
        #expect(testCluster.nodes[0].connectionsAccepted == 1)
    }

    @Test(.disabled(if: AsyncTestEnvironment.isReal, "needs the test node's fault injection"),
          arguments: [TestNodeFault.garbageFrame, .truncatedFrame])
    func aBrokenFrameFailsTypedAndTheClientReconnects(fault: TestNodeFault) async throws {
        let cluster = try AsyncTestEnvironment.Cluster()
        defer { cluster.shutdown() }
        let testCluster = try #require(cluster.testCluster)
        let client = try await cluster.client { $0.retryPolicy = nil }
        defer { client.close() }
        let cache = try await client.createCache(AsyncTestEnvironment.uniqueName())
        testCluster.inject(fault)
        let error = await #expect(throws: IgniteError.self) { try await cache.put(1, 1) }
        #expect([IgniteError.Code.protocolViolation, .connectionClosed, .reconnect].contains(error?.code ?? .parse))
        testCluster.inject(.none)
        try await cache.put(3, 3)
        #expect(try await cache.get(3, as: Int.self) == 3)
        // The broken connection was replaced (how many dials the fault cost is the cluster machine's business).
        #expect(testCluster.nodes[0].connectionsAccepted >= 2)
    }
}
