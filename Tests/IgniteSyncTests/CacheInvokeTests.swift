import Foundation
import IgniteProtocol
@testable import IgniteSync
import IgniteTestNode
import Testing

/// GridGain's cache invoke end to end. On the test node (GridGain mode) with its own processor
/// `org.apache.ignite.testnode.AddProcessor`; on a real cluster (`IGNITE_TEST_ADDRESSES`) with the processor class named
/// by `IGNITE_TEST_ENTRY_PROCESSOR`, which must behave like it (add its numeric argument to the entry's number, store
/// and return the sum, throw an `EntryProcessorException` for a non-number), and skipped without it.
@Suite("Cache invoke (GridGain)")
struct CacheInvokeTests {
    static var processorClass: String? {
        guard TestEnvironment.isReal else { return TestNodeEntryProcessors.add }
        return TestEnvironment.environment["IGNITE_TEST_ENTRY_PROCESSOR"].flatMap { $0.isEmpty ? nil : $0 }
    }

    static func withInvokeClient<T>(nodes: Int, _ body: (IgniteCache, IgniteTestCluster?) throws -> T) throws -> T {
        try TestEnvironment.withClient(nodes: nodes, { $0.features.insert(.gridGainCacheInvoke) }) { client, cluster in
            let cache = try client.createCache(TestEnvironment.uniqueName("swift-invoke"))
            defer { try? cache.destroy() }
            return try body(cache, cluster.testCluster)
        }
    }

    @Test(.enabled(if: processorClass != nil, "real cluster without IGNITE_TEST_ENTRY_PROCESSOR (a deployed entry processor that adds its argument)"), arguments: [1, 3])
    func invokeAddsAndRoutesToTheOwner(nodes: Int) throws {
        let className = try #require(Self.processorClass)
        try Self.withInvokeClient(nodes: TestEnvironment.isReal ? 1 : nodes) { cache, cluster in
            try cache.put("warm-up", Int64(0))
            cluster?.nodes.forEach { $0.resetCounters() }
            try cache.put("visits", Int64(10))
            #expect(try cache.invoke("visits", IgniteEntryProcessor(className: className, arguments: [Int64(5)]), as: Int64.self) == 15)
            #expect(try cache.get("visits", as: Int64.self) == 15)
            // An absent entry counts as zero.
            #expect(try cache.invoke("fresh", IgniteEntryProcessor(className: className, arguments: [Int64(2)]), as: Int64.self) == 2)
            for i in 0..<30 {
                try cache.invoke("k\(i)", IgniteEntryProcessor(className: className, arguments: [Int32(i)]), as: Int32.self)
            }
            #expect(try cache.get("k7", as: Int32.self) == 7)
            if let nodes = cluster?.nodes {
                #expect(nodes.map(\.misroutedKeyRequests) == Array(repeating: 0, count: nodes.count))
                // The processor's class name was registered (OP_REGISTER_BINARY_TYPE_NAME) once for all 32 invokes.
                #expect(nodes.map { $0.requestCount(OpCode(3001)) }.reduce(0, +) == 1)
            }

            // The processor's own failure: status 1040 with its message; the entry is unchanged.
            try cache.put("text", "not a number")
            let failed = try #require(throws: IgniteError.self) {
                try cache.invoke("text", IgniteEntryProcessor(className: className, arguments: [Int64(1)]), as: Int64.self)
            }
            #expect(failed.serverStatus == IgniteError.entryProcessorStatus)
            #expect(try cache.get("text", as: String.self) == "not a number")
        }
    }

    @Test(.enabled(if: processorClass != nil, "real cluster without IGNITE_TEST_ENTRY_PROCESSOR (a deployed entry processor that adds its argument)"))
    func invokeAllReportsEachKey() throws {
        let className = try #require(Self.processorClass)
        try Self.withInvokeClient(nodes: 1) { cache, _ in
            try cache.put("a", Int64(1))
            try cache.put("b", Int64(2))
            try cache.put("bad", "text")
            let results = try cache.invokeAll(["a", "b", "c", "bad"], IgniteEntryProcessor(className: className, arguments: [Int64(100)]),
                                              as: Int64.self)
            #expect(try results["a"]?.get() == 101)
            #expect(try results["b"]?.get() == 102)
            #expect(try results["c"]?.get() == 100)
            guard case .failure(let error)? = results["bad"] else {
                Issue.record("expected a per-key failure, got \(String(describing: results["bad"]))")
                return
            }
            #expect(error.serverStatus == 1040)
            #expect(!error.message.isEmpty)
            #expect(try cache.get("a", as: Int64.self) == 101)
            #expect(try cache.invokeAll([String](), IgniteEntryProcessor(className: className), as: Int64.self).isEmpty)
        }
    }

    /// A processor whose class name mapping was never registered (OP_REGISTER_BINARY_TYPE_NAME) cannot be
    /// deserialized by the server: status 1 with `MarshallerContextImpl`'s text (observed on GridGain 8.10). The
    /// request is sent directly, past the client's registration; the class name is unique so that no earlier run has
    /// registered it on a real cluster (mappings persist there).
    @Test
    func unregisteredProcessorClassNameIsRefused() throws {
        try TestEnvironment.withClient(nodes: 1, { $0.features.insert(.gridGainCacheInvoke) }) { client, _ in
            let cache = try client.createCache(TestEnvironment.uniqueName("swift-invoke-unregistered"))
            defer { try? cache.destroy() }
            let className = "org.swiftignite.Unregistered\(UUID().uuidString.prefix(8))"
            var types = BinaryTypeCollector()
            let processor = try IgniteEntryProcessor(className: className, arguments: [Int64(1)]).encoded(types: &types)
            let key = try cache.encode(Int64(1))
            let error = try #require(throws: IgniteError.self) {
                try cache.run(key: key) { CacheInvokeRequest(cache: $0, key: key, processor: processor) }
            }
            #expect(error.serverStatus == 1)
            #expect(error.message == "Failed to resolve class name [platformId=0, platform=Java, typeId=\(JavaHash.typeId(className))]")
            #expect(try cache.get(Int64(1), as: Int64.self) == nil)
        }
    }

    @Test(.disabled(if: TestEnvironment.isReal, "uses the test node's modes"))
    func gatedOnGridGainsBit19() throws {
        // Without bit 19 requested: refused before sending.
        try TestEnvironment.withClient(nodes: 1) { client, cluster in
            let cache = try client.createCache(TestEnvironment.uniqueName("swift-invoke-gate"))
            let error = try #require(throws: IgniteError.self) {
                try cache.invoke(Int32(1), IgniteEntryProcessor(className: TestNodeEntryProcessors.add, arguments: [Int32(1)]), as: Int32.self)
            }
            #expect(error.code == .notSupportedByCluster)
            #expect(cluster.testCluster?.nodes.first?.requestCount(OpCode(1024)) == 0)
        }
        // Apache mode: the bit is not answered, so the same refusal even when requested.
        let apache = try IgniteTestCluster(TestNodeConfiguration(maxVersion: .v1_7_0))
        defer { apache.shutdown() }
        var configuration = IgniteClientConfiguration(endpoints: apache.endpoints)
        configuration.features.insert(.gridGainCacheInvoke)
        let client = try IgniteClient(configuration: configuration)
        defer { client.close() }
        let cache = try client.createCache("swift-invoke-apache")
        let error = try #require(throws: IgniteError.self) {
            try cache.invoke(Int32(1), IgniteEntryProcessor(className: TestNodeEntryProcessors.add), as: Int32.self)
        }
        #expect(error.code == .notSupportedByCluster)
    }

    /// A processor class whose name is registered but that the servers do not have: status 1 with the class name as
    /// the message (the `ClassNotFoundException`'s, observed on GridGain 8.10).
    @Test
    func unknownProcessorClassIsAServerError() throws {
        try Self.withInvokeClient(nodes: 1) { cache, _ in
            let error = try #require(throws: IgniteError.self) {
                try cache.invoke(Int32(1), IgniteEntryProcessor(className: "com.example.Missing"), as: Int32.self)
            }
            #expect(error.serverStatus == 1)
            #expect(error.message == "com.example.Missing")
        }
    }
}

/// The sample of Docs/CACHE-INVOKE.md, as written (below), against the test node in its GridGain mode.
@Suite("Cache invoke documentation sample")
struct CacheInvokeDocSampleTests {
    @Test(.disabled(if: TestEnvironment.isReal, "uses the test node's own processor"))
    func sampleRunsAsWritten() throws {
        let cluster = try IgniteTestCluster(TestNodeConfiguration())
        defer { cluster.shutdown() }
        let (visits, totals) = try addToCounters(endpoints: cluster.endpoints, processorClass: TestNodeEntryProcessors.add)
        #expect(visits == 15)
        #expect(totals == ["visits": 20, "fresh": 5])
    }
}

// The sample of Docs/CACHE-INVOKE.md, as written.
func addToCounters(endpoints: [IgniteEndpoint], processorClass: String) throws -> (Int64?, [String: Int64]) {
    var configuration = IgniteClientConfiguration(endpoints: endpoints)
    configuration.features.insert(.gridGainCacheInvoke)        // GridGain's CACHE_INVOKE, bit 19
    let client = try IgniteClient(configuration: configuration)
    defer { client.close() }
    let cache = try client.getOrCreateCache("doc-counters")
    defer { try? cache.destroy() }

    let addFive = IgniteEntryProcessor(className: processorClass, arguments: [Int64(5)])
    try cache.put("visits", Int64(10))
    let visits = try cache.invoke("visits", addFive, as: Int64.self)       // 15, computed on the owner node

    try cache.put("broken", "not a number")
    var totals: [String: Int64] = [:]
    for (key, result) in try cache.invokeAll(["visits", "fresh", "broken"], addFive, as: Int64.self) {
        switch result {
        case .success(let value): totals[key] = value ?? 0
        case .failure(let error): print("\(key): \(error.message) (status \(error.serverStatus ?? 0))")   // 1040
        }
    }
    return (visits, totals)                                                // (15, ["visits": 20, "fresh": 5])
}
