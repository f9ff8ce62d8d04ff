import Foundation
import IgniteProtocol
import IgniteSync
import IgniteTestNode
import Testing

@Suite("Data streamer", .serialized)
struct DataStreamerTests {
    @Test(arguments: [1, 3]) func loadsEveryEntryThroughPerNodeBuffers(nodes: Int) throws {
        try TestEnvironment.withClient(nodes: nodes) { client, cluster in
            let cache = try client.createCache(TestEnvironment.uniqueName("swift-stream"))
            defer { try? cache.destroy() }
            try cache.put(Int32(-1), "warm-up")  // fetches the partition map
            cluster.testCluster?.nodes.forEach { $0.resetCounters() }
            let streamer = try cache.dataStreamer(IgniteDataStreamerOptions(perNodeBufferSize: 97, perNodeParallelOperations: 3))
            for i in 0..<3_000 { try streamer.add(Int32(i), "value-\(i)") }
            try streamer.close()
            #expect(streamer.failures.isEmpty)
            #expect(streamer.entriesSent == 3_000)
            #expect(streamer.entriesBuffered == 0)
            #expect(try cache.size() == 3_001)
            #expect(try cache.get(Int32(2_999), as: String.self) == "value-2999")
            if let test = cluster.testCluster {
                let counts = test.nodes.map(\.streamedEntries)
                #expect(counts.map(\.received).reduce(0, +) == 3_000)
                #expect(counts.map(\.misrouted) == Array(repeating: 0, count: nodes), "each batch went to its entries' primary node")
                if nodes == 3 { #expect(counts.allSatisfy { $0.received > 0 }) }
            }
        }
    }

    @Test func overwriteAndRemove() throws {
        try TestEnvironment.withClient { client, _ in
            let cache = try client.createCache(TestEnvironment.uniqueName("swift-stream-ow"))
            defer { try? cache.destroy() }
            try cache.put(Int32(1), "old")
            try cache.put(Int32(2), "doomed")
            try cache.withDataStreamer { streamer in
                try streamer.add(Int32(1), "new")
                try streamer.add(Int32(3), "fresh")
                try streamer.remove(Int32(2))
            }
            #expect(try cache.get(Int32(1), as: String.self) == "old", "without allowOverwrite an existing key keeps its value")
            #expect(try cache.get(Int32(3), as: String.self) == "fresh")
            // Without allowOverwrite the server only sets entries that have no value (`IsolatedUpdater`,
            // `initialValue`): the removal of an existing key is ignored.
            #expect(try cache.get(Int32(2), as: String.self) == "doomed", "without allowOverwrite a removal is ignored")
            try cache.withDataStreamer(IgniteDataStreamerOptions(allowOverwrite: true, skipStore: true)) { streamer in
                try streamer.add(Int32(1), "new")
                try streamer.remove(Int32(2))
            }
            #expect(try cache.get(Int32(1), as: String.self) == "new")
            #expect(try cache.get(Int32(2), as: String.self) == nil, "with allowOverwrite the removal applies")
            #expect(try cache.get(Int32(3), as: String.self) == "fresh")
        }
    }

    @Test func failedBatchesKeepTheirEntriesAndAreThrown() throws {
        try TestEnvironment.withClient { client, _ in
            let missing = client.cache(TestEnvironment.uniqueName("swift-stream-missing"))
            let streamer = try missing.dataStreamer(IgniteDataStreamerOptions(perNodeBufferSize: 10))
            for i in 0..<25 { try streamer.add(Int32(i), Int64(i)) }
            let error = #expect(throws: IgniteError.self) { try streamer.close() }
            #expect(error?.serverStatus == 1000)
            #expect(streamer.failures.map(\.entries.count).reduce(0, +) == 25, "every entry is reported")
            #expect(streamer.entriesSent == 0)
            #expect(throws: IgniteError.self) { try streamer.add(Int32(99), Int64(99)) }
            // The failed entries can be streamed again elsewhere.
            let cache = try client.createCache(TestEnvironment.uniqueName("swift-stream-retry"))
            defer { try? cache.destroy() }
            let retry = try cache.dataStreamer()
            for failure in streamer.failures { try retry.add(failure.entries) }
            try retry.close()
            #expect(try cache.size() == 25)
        }
    }

    @Test func badOptionsAreRejected() throws {
        try TestEnvironment.withClient { client, _ in
            let cache = client.cache("unused")
            #expect(throws: IgniteError.self) { _ = try cache.dataStreamer(IgniteDataStreamerOptions(perNodeBufferSize: 0)) }
            #expect(throws: IgniteError.self) { _ = try cache.dataStreamer(IgniteDataStreamerOptions(perNodeParallelOperations: 0)) }
        }
    }
}
