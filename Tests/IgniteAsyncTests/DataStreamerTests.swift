import Foundation
import IgniteAsync
import IgniteTestNode
import Testing

@Suite("IgniteAsync data streamer", .timeLimit(.minutes(10)))
struct AsyncDataStreamerTests {
    @Test(arguments: [1, 3]) func loadsEveryEntryThroughPerNodeBuffers(nodes: Int) async throws {
        let cluster = try AsyncTestEnvironment.Cluster(nodes: nodes)
        defer { cluster.shutdown() }
        let client = try await cluster.client()
        defer { client.close() }
        let cache = try await client.createCache(AsyncTestEnvironment.uniqueName("swift-async-stream"))
        try await cache.put(Int32(-1), "warm-up")
        cluster.testCluster?.nodes.forEach { $0.resetCounters() }
        let streamer = try cache.dataStreamer(IgniteDataStreamerOptions(perNodeBufferSize: 89, perNodeParallelOperations: 4))
        for i in 0..<3_000 { try await streamer.add(Int32(i), "value-\(i)") }
        try await streamer.close()
        #expect(streamer.failures.isEmpty)
        #expect(streamer.entriesSent == 3_000)
        #expect(try await cache.size() == 3_001)
        #expect(try await cache.get(Int32(1_234), as: String.self) == "value-1234")
        if let test = cluster.testCluster {
            let counts = test.nodes.map(\.streamedEntries)
            #expect(counts.map(\.received).reduce(0, +) == 3_000)
            #expect(counts.map(\.misrouted) == Array(repeating: 0, count: nodes))
        }
        try await cache.destroy()
    }

    @Test func overwriteRemoveAndFailures() async throws {
        let cluster = try AsyncTestEnvironment.Cluster()
        defer { cluster.shutdown() }
        let client = try await cluster.client()
        defer { client.close() }
        let cache = try await client.createCache(AsyncTestEnvironment.uniqueName("swift-async-stream-ow"))
        try await cache.put(Int32(1), "old")
        try await cache.put(Int32(2), "doomed")
        let streamer = try cache.dataStreamer()
        try await streamer.add(Int32(1), "new")
        try await streamer.remove(Int32(2))
        try await streamer.close()
        #expect(try await cache.get(Int32(1), as: String.self) == "old")
        // Without allowOverwrite the server only sets entries without a value (`IsolatedUpdater`): the removal of an
        // existing key is ignored.
        #expect(try await cache.get(Int32(2), as: String.self) == "doomed")
        let overwrite = try cache.dataStreamer(IgniteDataStreamerOptions(allowOverwrite: true))
        try await overwrite.add(Int32(1), "new")
        try await overwrite.remove(Int32(2))
        try await overwrite.close()
        #expect(try await cache.get(Int32(1), as: String.self) == "new")
        #expect(try await cache.get(Int32(2), as: String.self) == nil, "with allowOverwrite the removal applies")

        let missing = client.cache(AsyncTestEnvironment.uniqueName("swift-async-stream-missing"))
        let failing = try missing.dataStreamer(IgniteDataStreamerOptions(perNodeBufferSize: 7))
        for i in 0..<20 { try await failing.add(Int32(i), Int64(i)) }
        await #expect(throws: IgniteError.self) { try await failing.close() }
        #expect(failing.failures.map(\.entries.count).reduce(0, +) == 20)
        await #expect(throws: IgniteError.self) { try await failing.add(Int32(1), Int64(1)) }
        try await cache.destroy()
    }
}
