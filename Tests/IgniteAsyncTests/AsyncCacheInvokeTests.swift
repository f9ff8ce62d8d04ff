import Foundation
import IgniteAsync
import IgniteProtocol
import IgniteTestNode
import Testing

/// GridGain's cache invoke through the async product: the test node's own `AddProcessor` in its GridGain mode; on a
/// real cluster the class named by `IGNITE_TEST_ENTRY_PROCESSOR` (behaving like it), skipped without it.
@Suite("Async cache invoke (GridGain)", .timeLimit(.minutes(10)))
struct AsyncCacheInvokeTests {
    static var processorClass: String? {
        guard AsyncBeyondEnvironment.isReal else { return TestNodeEntryProcessors.add }
        return AsyncBeyondEnvironment.environment["IGNITE_TEST_ENTRY_PROCESSOR"].flatMap { $0.isEmpty ? nil : $0 }
    }

    @Test(.enabled(if: processorClass != nil, "real cluster without IGNITE_TEST_ENTRY_PROCESSOR (a deployed entry processor that adds its argument)"),
          arguments: [1, 3])
    func concurrentInvokesAddUp(nodes: Int) async throws {
        let className = try #require(Self.processorClass)
        var testCluster: IgniteTestCluster?
        let endpoints: [IgniteEndpoint]
        if let real = AsyncBeyondEnvironment.realEndpoints {
            endpoints = real
        } else {
            let cluster = try IgniteTestCluster(TestNodeConfiguration(nodeCount: nodes))
            testCluster = cluster
            endpoints = cluster.endpoints
        }
        defer { testCluster?.shutdown() }
        var configuration = IgniteClientConfiguration(endpoints: endpoints)
        configuration.features.insert(.gridGainCacheInvoke)
        configuration.requestTimeout = .seconds(60)
        let client = try await IgniteClient(configuration: configuration)
        defer { client.close() }
        let cache = try await client.createCache(AsyncBeyondEnvironment.uniqueName("swift-async-invoke"))
        let add = IgniteEntryProcessor(className: className, arguments: [Int64(1)])
        try await cache.put("warm-up", Int64(0))   // the partition map and every node's connection are in place
        testCluster?.nodes.forEach { $0.resetCounters() }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for i in 0..<100 {
                group.addTask { try await cache.invoke("counter-\(i % 4)", add, as: Int64.self) }
            }
            try await group.waitForAll()
        }
        for i in 0..<4 { #expect(try await cache.get("counter-\(i)", as: Int64.self) == 25) }
        // The processor's class name is registered (OP_REGISTER_BINARY_TYPE_NAME) by the first invokes only.
        let registrations = testCluster?.nodes.map { $0.requestCount(OpCode(3001)) }.reduce(0, +)
        if let registrations { #expect(registrations >= 1) }
        try await cache.invoke("counter-0", add, as: Int64.self)
        #expect(testCluster?.nodes.map { $0.requestCount(OpCode(3001)) }.reduce(0, +) == registrations)
        try await cache.invoke("counter-0", IgniteEntryProcessor(className: className, arguments: [Int64(-1)]), as: Int64.self)
        try await cache.put("text", "no number")
        let results = try await cache.invokeAll(["counter-0", "text"], add, as: Int64.self)
        #expect(try results["counter-0"]?.get() == 26)
        guard case .failure(let error)? = results["text"] else {
            Issue.record("expected a per-key failure")
            return
        }
        #expect(error.serverStatus == IgniteError.entryProcessorStatus)
        await #expect(throws: IgniteError.self) { try await cache.invoke("text", add, as: Int64.self) }
        if let nodes = testCluster?.nodes { #expect(nodes.map(\.misroutedKeyRequests).allSatisfy { $0 == 0 }) }
        try await cache.destroy()
    }
}
