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
}
