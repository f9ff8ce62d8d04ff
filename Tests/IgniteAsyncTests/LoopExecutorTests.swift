import Foundation
@testable import IgniteAsync
import IgniteTestNode
import Testing

@Suite("The loop as a task executor", .timeLimit(.minutes(10)))
struct LoopExecutorTests {
    @Test func aTaskPreferringTheLoopRunsThereAndItsRequestsComplete() async throws {
        let cluster = try IgniteTestCluster(TestNodeConfiguration(nodeCount: 1))
        defer { cluster.shutdown() }
        let client = try await IgniteClient(configuration: IgniteClientConfiguration(endpoints: cluster.endpoints))
        defer { client.close() }
        let cache = try await client.getOrCreateCache("loop-executor")
        let loop = client.engine.loop
        let (onLoop, values) = try await withTaskExecutorPreference(client.executor) {
            var onLoop = loop.inLoop
            var values: [Int32] = []
            for i in Int32(0)..<200 {
                try await cache.put(i, i * 2)
                values.append(try await cache.get(i, as: Int32.self) ?? -1)
                onLoop = onLoop && loop.inLoop
            }
            return (onLoop, values)
        }
        #expect(onLoop)
        #expect(values == (Int32(0)..<200).map { $0 * 2 })
        #expect(!loop.inLoop)
    }

    /// Many tasks on the loop at once (their jobs queued without closures, from the loop thread when a reply resumes
    /// them and from other threads when they start): every request completes with its own value, on the loop, and
    /// their frames share sends.
    @Test func sixtyFourTasksOnTheLoopEachGetTheirOwnValues() async throws {
        let cluster = try IgniteTestCluster(TestNodeConfiguration(nodeCount: 1))
        defer { cluster.shutdown() }
        let client = try await IgniteClient(configuration: IgniteClientConfiguration(endpoints: cluster.endpoints))
        defer { client.close() }
        let cache = try await client.getOrCreateCache("loop-executor-64")
        let loop = client.engine.loop
        let results = await withTaskGroup(of: (Bool, [Int64]).self) { group in
            for task in 0..<64 {
                group.addTask(executorPreference: client.executor) {
                    var onLoop = loop.inLoop
                    var values: [Int64] = []
                    for i in 0..<50 {
                        let key = Int64(task * 1000 + i)
                        do {
                            try await cache.put(key, key * 3)
                            values.append(try await cache.get(key, as: Int64.self) ?? -1)
                        } catch {
                            values.append(-2)
                        }
                        onLoop = onLoop && loop.inLoop
                    }
                    return (onLoop, values)
                }
            }
            var all: [(Bool, [Int64])] = []
            for await result in group { all.append(result) }
            return all
        }
        #expect(results.count == 64)
        #expect(results.allSatisfy { $0.0 })
        let expected = Set((0..<64).flatMap { task in (0..<50).map { Int64(task * 1000 + $0) * 3 } })
        #expect(Set(results.flatMap { $0.1 }) == expected)
        #expect(try await cache.size() == 64 * 50)
    }
}
